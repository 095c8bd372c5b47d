// ohliad: small progressive enhancements; every page works without them.
"use strict";

// Times are rendered in UTC on the server; show them in the reader's zone.
function localiseTimes() {
  const lang = document.documentElement.lang === "en" ? "en-GB" : "uk-UA";
  const format = new Intl.DateTimeFormat(lang, {
    day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
  });
  for (const element of document.querySelectorAll("time[datetime]")) {
    const moment = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) {
      element.title = element.textContent;
      element.textContent = format.format(moment);
    }
  }
}

// One button opens or closes every source text, to read the sources side by side.
function addToggleAllTexts() {
  const grid = document.querySelector(".source-grid");
  const texts = grid ? grid.querySelectorAll("details.source-text") : [];
  if (texts.length < 2) return;
  const english = document.documentElement.lang === "en";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "toggle-texts";
  const label = (open) => (open
    ? (english ? "Collapse all texts" : "Згорнути всі тексти")
    : (english ? "Expand all texts" : "Розгорнути всі тексти"));
  button.textContent = label(false);
  button.addEventListener("click", () => {
    const open = !Array.from(texts).every((d) => d.open);
    texts.forEach((d) => { d.open = open; });
    button.textContent = label(open);
  });
  grid.before(button);
}

document.addEventListener("DOMContentLoaded", () => {
  localiseTimes();
  addToggleAllTexts();
});
