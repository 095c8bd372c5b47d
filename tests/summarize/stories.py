"""Stories written for these tests (fictional places, people and outlets)."""

from __future__ import annotations

from ohliad.models import Article, Story

HARBOUR = Story(
    id="harbour",
    articles=(
        Article(
            id=11,
            outlet="Coastal Herald",
            title="Port of Velmora closes after fuel tanker runs aground",
            text=(
                "The port of Velmora closed on Tuesday after the fuel tanker Aster Crown ran "
                "aground at the mouth of the harbour. "
                "Harbour master Ilse Brandt said no fuel had leaked from the tanker's hull. "
                "Fishing boats waited outside the breakwater for most of the afternoon. "
                "The tanker was carrying 40,000 tonnes of diesel to the terminal at Velmora."
            ),
        ),
        Article(
            id=12,
            outlet="Morning Ledger",
            title="Tanker aground shuts Velmora port",
            text=(
                "A fuel tanker, the Aster Crown, ran aground at the entrance to the port of "
                "Velmora on Tuesday, and the port was closed to all shipping. "
                "No fuel leaked from the hull, the harbour master Ilse Brandt said. "
                "Tugs will try to refloat the tanker at high tide on Wednesday morning. "
                "Local ferry services were moved to the neighbouring town of Saltby."
            ),
        ),
        Article(
            id=13,
            outlet="Velmora Daily",
            title="Velmora harbour closed as tanker Aster Crown grounds",
            text=(
                "Velmora's port closed on Tuesday when the tanker Aster Crown ran aground in the "
                "harbour mouth. "
                "The harbour master, Ilse Brandt, said there was no leak of fuel. "
                "The ship's owner, Norrland Shipping, said the crew of 22 were unharmed. "
                "Ferries to the islands now leave from Saltby."
            ),
        ),
    ),
)


LOADED_STORY = Story(
    id="budget",
    articles=(
        Article(
            title="Council approves city budget of 310 million",
            text=(
                "The city council of Dunmere approved a budget of 310 million for next year on "
                "Monday by a vote of nine to four. "
                "The budget raises spending on bus services by 12 million. "
                "The mayor, Ruth Okafor, said the plan would be balanced without new taxes."
            ),
        ),
        Article(
            title="Dunmere council passes 310 million budget with more money for buses",
            text=(
                "Dunmere's council passed a 310 million budget for next year on Monday, nine "
                "votes to four. "
                "Spending on bus services rises by 12 million under the plan. "
                "Four councillors voted against it, citing the cost of road repairs."
            ),
        ),
        Article(
            title="Disastrous budget: Okafor's reckless cronies ram through shameful spree!",
            text=(
                "In a shameful and utterly reckless stunt, Okafor's cronies rammed through a "
                "disastrous spending spree on Monday. "
                "The outrageous budget is a total disaster for every taxpayer in Dunmere. "
                "The council approved the budget of 310 million by nine votes to four."
            ),
        ),
    ),
)
