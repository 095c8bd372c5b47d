"""The interface's words in Ukrainian (first) and English, and dates for people."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from ohliad.translate.localize import ENGLISH_MONTHS, GENITIVE_MONTHS

Lang = Literal["uk", "en"]

LABELS: dict[Lang, dict[str, str]] = {
    "uk": {
        "site": "Огляд",
        "tagline": "Огляд іноземної преси",
        "latest": "Останні сюжети",
        "updated": "Оновлено",
        "sources": "Джерела",
        "outlets": "Видання",
        "in_english": "English",
        "in_ukrainian": "Українською",
        "no_ukrainian": "Українського тексту немає — показано англійський оригінал",
        "no_ukrainian_banner": "Частина сюжетів без українського тексту: їх показано англійською.",
        "no_ukrainian_all": "Українського тексту поки немає: усі сюжети показано англійською.",
        "shown_in_english": "англійською",
        "search": "Пошук",
        "search_placeholder": "Шукати сюжети й статті",
        "from": "Від",
        "to": "До",
        "outlet": "Видання",
        "language": "Мова джерела",
        "any": "Усі",
        "apply": "Застосувати",
        "reset": "Скинути",
        "newer": "← Новіші",
        "older": "Старіші →",
        "no_stories": "Сюжетів не знайдено.",
        "skip_to_content": "Перейти до змісту",
        "sources_disagree": "Джерела суперечать одне одному",
        "summary": "Підсумок",
        "summary_by_sentence": "Підсумок за реченнями (англійською) з джерелами",
        "text": "Текст статті",
        "copy_of": "копія матеріалу",
        "comparison": "Порівняння джерел",
        "notes": "Примітки",
        "no_comparison": "Порівняння для цього сюжету ще немає.",
        "disputed": "деталі різняться",
        "missing_from": "немає в",
        "not_used_by": "не вживають",
        "soft": "відрізняється лише точність",
        "timeline": "Хронологія",
        "first_report": "перше повідомлення",
        "change_merged": "приєднано повідомлення сюжету",
        "change_split_out": "повідомлення перенесено до сюжету",
        "change_split_in": "повідомлення перенесено із сюжету",
        "score": "оцінка",
        "stories_found": "Сюжети",
        "articles_found": "Статті",
        "no_articles": "Статей не знайдено.",
        "story": "сюжет",
        "feeds": "Стрічки",
        "api": "API",
        "day_digest": "Огляд за день (Markdown)",
        "not_found": "Не знайдено",
        "kind_number": "кількість",
        "kind_duration": "тривалість",
        "kind_date": "дата",
        "kind_time": "час",
        "kind_place": "місце",
        "kind_initiator": "ініціатор",
        "kind_terminology": "термінологія",
        "kind_loaded_language": "оцінна лексика",
        "kind_quoted_voices": "чиї голоси цитують",
        "desk": "Редакторський стіл",
        "desk_sign_in": "Увійти",
        "desk_sign_out": "Вийти",
        "desk_token": "Токен адміністратора",
        "desk_off": "Стіл вимкнено: задайте OHLIAD_ADMIN_TOKENS (ім'я:токен,…) "
        "або OHLIAD_ADMIN_TOKEN.",
        "desk_wrong_token": "Неправильний токен.",
        "desk_signed_in_as": "Ви увійшли як",
        "desk_queue": "Черга",
        "desk_day": "День",
        "desk_all_days": "усі дні",
        "desk_show": "Показати",
        "desk_empty": "Тут нічого немає.",
        "desk_publish": "Опублікувати випуск",
        "desk_story": "Сюжет",
        "desk_conflicts": "Розбіжності",
        "desk_published_done": "Опубліковано випуск за",
        "desk_published_new": "нових сюжетів",
        "desk_day_file": "Файл випуску",
        "status_draft": "чернетка",
        "status_approved": "ухвалено",
        "status_published": "опубліковано",
        "status_rejected": "відхилено",
        "desk_edited": "відредаговано",
        "desk_stale": "сюжет змінився після правки",
        "desk_edit": "Правка",
        "desk_headline_uk": "Заголовок українською",
        "desk_summary_uk": "Підсумок українською (3–6 речень)",
        "desk_headline_en": "Заголовок англійською",
        "desk_summary_en": "Підсумок англійською",
        "desk_keep_sources": "Джерела у випуску",
        "desk_save": "Зберегти правку",
        "desk_approve": "Ухвалити",
        "desk_reject": "Відхилити",
        "desk_to_draft": "Повернути в чернетки",
        "desk_saved": "Збережено",
        "desk_suggestions": "Пропозиції перевірки",
        "desk_no_suggestions": "Перевірка нічого не пропонує.",
        "desk_machine_draft": "Машинна чернетка",
        "desk_what_changed": "Що змінилося після правки",
        "desk_new_sources": "Нові джерела",
        "desk_new_conflicts": "Нові розбіжності",
        "desk_preview": "Попередній перегляд у форматі випуску",
        "desk_history": "Історія",
        "desk_no_ukrainian": "Машина не написала українського тексту: напишіть його.",
    },
    "en": {
        "site": "Ohliad",
        "tagline": "A review of the foreign press",
        "latest": "Latest stories",
        "updated": "Updated",
        "sources": "Sources",
        "outlets": "Outlets",
        "in_english": "English",
        "in_ukrainian": "Українською",
        "no_ukrainian": "No Ukrainian text yet",
        "no_ukrainian_banner": "Some stories have no Ukrainian text yet.",
        "no_ukrainian_all": "No story has Ukrainian text yet.",
        "shown_in_english": "in English",
        "search": "Search",
        "search_placeholder": "Search stories and articles",
        "from": "From",
        "to": "To",
        "outlet": "Outlet",
        "language": "Source language",
        "any": "Any",
        "apply": "Apply",
        "reset": "Reset",
        "newer": "← Newer",
        "older": "Older →",
        "no_stories": "No stories found.",
        "skip_to_content": "Skip to content",
        "sources_disagree": "The sources contradict each other",
        "summary": "Summary",
        "summary_by_sentence": "Summary sentence by sentence, with sources",
        "text": "Article text",
        "copy_of": "copy of",
        "comparison": "How the sources compare",
        "notes": "Notes",
        "no_comparison": "No comparison for this story yet.",
        "disputed": "details differ",
        "missing_from": "missing from",
        "not_used_by": "not used by",
        "soft": "only the precision differs",
        "timeline": "Timeline",
        "first_report": "first report",
        "change_merged": "took in the reports of story",
        "change_split_out": "reports moved out to story",
        "change_split_in": "reports moved in from story",
        "score": "score",
        "stories_found": "Stories",
        "articles_found": "Articles",
        "no_articles": "No articles found.",
        "story": "story",
        "feeds": "Feeds",
        "api": "API",
        "day_digest": "The day's digest (Markdown)",
        "not_found": "Not found",
        "kind_number": "number",
        "kind_duration": "duration",
        "kind_date": "date",
        "kind_time": "time",
        "kind_place": "place",
        "kind_initiator": "initiator",
        "kind_terminology": "terminology",
        "kind_loaded_language": "loaded language",
        "kind_quoted_voices": "quoted voices",
        "desk": "The editor's desk",
        "desk_sign_in": "Sign in",
        "desk_sign_out": "Sign out",
        "desk_token": "Admin token",
        "desk_off": "The desk is off: set OHLIAD_ADMIN_TOKENS (name:token,…) "
        "or OHLIAD_ADMIN_TOKEN.",
        "desk_wrong_token": "Wrong token.",
        "desk_signed_in_as": "Signed in as",
        "desk_queue": "Queue",
        "desk_day": "Day",
        "desk_all_days": "all days",
        "desk_show": "Show",
        "desk_empty": "Nothing here.",
        "desk_publish": "Publish the edition",
        "desk_story": "Story",
        "desk_conflicts": "Conflicts",
        "desk_published_done": "Published the edition of",
        "desk_published_new": "new entries",
        "desk_day_file": "The edition's file",
        "status_draft": "draft",
        "status_approved": "approved",
        "status_published": "published",
        "status_rejected": "rejected",
        "desk_edited": "edited",
        "desk_stale": "the story changed after the edit",
        "desk_edit": "Edit",
        "desk_headline_uk": "Ukrainian headline",
        "desk_summary_uk": "Ukrainian summary (3–6 sentences)",
        "desk_headline_en": "English headline",
        "desk_summary_en": "English summary",
        "desk_keep_sources": "Sources in the edition",
        "desk_save": "Save the edit",
        "desk_approve": "Approve",
        "desk_reject": "Reject",
        "desk_to_draft": "Back to drafts",
        "desk_saved": "Saved",
        "desk_suggestions": "The checker's suggestions",
        "desk_no_suggestions": "The checker has nothing to suggest.",
        "desk_machine_draft": "The machine's draft",
        "desk_what_changed": "What changed since the edit",
        "desk_new_sources": "New sources",
        "desk_new_conflicts": "New conflicts",
        "desk_preview": "Preview in the house format",
        "desk_history": "History",
        "desk_no_ukrainian": "The machine wrote no Ukrainian: write it.",
    },
}


def parse_lang(value: str | None) -> Lang:
    """The interface language; Ukrainian unless English is asked for."""
    return "en" if value == "en" else "uk"


def format_time(moment: datetime | None, lang: Lang) -> str:
    """'5 березня 2026, 10:00 UTC' or '5 March 2026, 10:00 UTC'."""
    if moment is None:
        return ""
    utc = moment.astimezone(UTC)
    months = GENITIVE_MONTHS if lang == "uk" else ENGLISH_MONTHS
    return f"{utc.day} {months[utc.month - 1]} {utc.year}, {utc:%H:%M} UTC"


def ukrainian_plural(count: int, one: str, few: str, many: str) -> str:
    """The Ukrainian noun for ``count``: one (1, 21), few (2-4, 22-24) or many."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return few
    return many


def _count(
    count: int, lang: Lang, english: tuple[str, str], ukrainian: tuple[str, str, str]
) -> str:
    if lang == "en":
        return f"{count} {english[0] if count == 1 else english[1]}"
    return f"{count} {ukrainian_plural(count, *ukrainian)}"


def count_conflicts(count: int, lang: Lang) -> str:
    """'1 розбіжність', '3 розбіжності', '5 розбіжностей'; '1 conflict', '3 conflicts'."""
    return _count(
        count, lang, ("conflict", "conflicts"), ("розбіжність", "розбіжності", "розбіжностей")
    )


def count_quotes(quotes: int, words: int, lang: Lang) -> str:
    """'2 цитати, 31 слово'; '2 quotes, 31 words'."""
    quoted = _count(quotes, lang, ("quote", "quotes"), ("цитата", "цитати", "цитат"))
    worded = _count(words, lang, ("word", "words"), ("слово", "слова", "слів"))
    return f"{quoted}, {worded}"


def count_waiting(count: int, lang: Lang) -> str:
    """'1 ухвалений сюжет чекає на публікацію', '3 ухвалені сюжети чекають…';
    '1 approved entry waits to be published'."""
    if lang == "en":
        return f"{count} approved {'entry waits' if count == 1 else 'entries wait'} to be published"
    waiting = ukrainian_plural(
        count, "ухвалений сюжет чекає", "ухвалені сюжети чекають", "ухвалених сюжетів чекають"
    )
    return f"{count} {waiting} на публікацію"


def count_sources(count: int, lang: Lang) -> str:
    """'1 джерело', '3 джерела', '5 джерел'; '1 source', '3 sources'."""
    return _count(count, lang, ("source", "sources"), ("джерело", "джерела", "джерел"))
