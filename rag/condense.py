"""Follow-up questions ("When did he leave?") become standalone questions before retrieval.

The LLM rewrites first (prompt in ``prompts/condense.txt``); its rewrite is accepted only if it
is one question that asks for the same kind of item (a "Why?" is rewritten as a why-question, not as
"The answer to the question is …"), keeps the question's own words, names someone from the
conversation and, for "he/she", names the person the rules resolve. Otherwise the rules of :func:`keyword_rewrite` do it: the tiny default
model often rewrites badly, and a wrong rewrite retrieves the wrong articles.

The rules read the previous turns as the assistant writes them: an answer leads with the asked
item in words ("Alexander Darchiyev, according to TASS, 30 March 2021: “…” [1] (as of …)."), or
is a quote after an outlet lead-in ("TASS, 30 March 2021: “…” [1]."), or (older answers) plain
sentences. The asked item is the best referent; names in a quote are context; names in an outlet
lead-in ("TASS", "30 March 2021") are neither.

- he/she/him/his/her → the person the previous answer's lead names (not one the question named),
  else the previous question's person, else (further back) the person of earlier turns;
  the pronoun is replaced in place ("When was Alexander Darchiyev appointed?").
- it/they/that/those… → the previous topic: its names and noun phrases are appended in parentheses.
- ellipsis → the previous question's frame: "When?" after "Who expelled the diplomats?" becomes
  "When were the diplomats expelled?"; "And the Russian ambassador in Washington?" after "Who is the
  US ambassador to Russia named by CNN?" becomes "Who is the Russian ambassador in Washington named
  by CNN?"; a short question without a subject of its own gets the previous names appended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.language import CALENDAR_WORDS, INSTITUTION_WORDS, NOT_NAMES, OUTLETS, PLACE_WORDS, TITLES, past_participle, stem
from rag.answer_types import asked_kind
from rag.retrieval import period_phrases, time_intent
from rag.verify import PRONOUNS, content_terms, salient_terms

_LEADS = re.compile(r"^(?:and\s+what\s+about|and\s+how\s+about|what\s+about|how\s+about|and|but|so|also)\b[\s,]*", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_ANY_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Russian questions: pronouns and leads are detected (names are appended; nothing is replaced).
_RU_PRONOUNS = frozenset(
    "он она оно они его её ее ему ей им ими их нём нем ней них это этого этом этому этот эта эти тот та те "
    "там тогда".split())
_RU_LEADS = re.compile(r"^(?:а|и|но|а как же|что насчёт|что насчет)\b", re.I)
_RU_NAME = re.compile(r"(?<=[\w,]\s)[А-ЯЁ][а-яё]+")

WH = frozenset("who whom whose what which when where why how".split())
BE = frozenset("is are was were am be been".split())
AUX = BE | frozenset("do does did will would can could should shall may might must has have had".split())
PREPS = frozenset("to in of at for from on with by about during after before since into over under against between "
                  "among toward towards near amid as than via per across through without within".split())
DETS = frozenset("the a an this that these those its their his her our my your some any each every both".split())
PERSON_PRONOUNS = frozenset("he she him his her hers himself herself".split())
MALE = frozenset("he him his himself".split())
FEMALE = frozenset("she her hers herself".split())
THING_PRONOUNS = (PRONOUNS | frozenset("itself themselves".split())) - PERSON_PRONOUNS
_NEGATIVE = {"did": "didn't", "does": "doesn't", "do": "don't", "is": "isn't", "are": "aren't", "was": "wasn't",
             "were": "weren't", "will": "won't", "would": "wouldn't", "can": "can't", "could": "couldn't",
             "should": "shouldn't", "has": "hasn't", "have": "haven't", "had": "hadn't"}
# Verbs that end a noun phrase in a question ("did the proposal WANT expelled"), besides -ed forms.
_VERBS = frozenset("say says said think thinks want wants mean means do does make makes go goes get gets take takes "
                   "give gives plan plans hope hopes decide decides agree agrees call calls ask asks try tries "
                   "need needs expect expects propose proposes accept accepts describe describes mention "
                   "mentions happen happens leave leaves return returns visit visits meet meets hold holds talk "
                   "talks discuss discusses attend sign signs expel expels appoint appoints recall recalls invite "
                   "invites report reports announce announces confirm confirms deny denies claim claims refuse "
                   "warn warns stop stops shift shifting start starts become becomes tell tells know knows see "
                   "sees come comes send sends keep keeps remain remains".split())
_NOT_REFERENTIAL_AFTER_IT = frozenset("true possible likely known clear important necessary worth take took takes "
                                      "seem seems seemed matter matters".split())
_TIME_WORDS = frozenset("year week month morning evening time day weekend summer winter spring autumn fall".split())

_DATE_WORDS = CALENDAR_WORDS | {"today", "yesterday", "tomorrow"}
_TOKEN = r"(?:[A-Z](?:\.[A-Z])+\.?|(?:[dD][’']|O[’'])?[A-Z][A-Za-z’'-]*[A-Za-z’']|[A-Z](?=[’']s))"
_SEQ = re.compile(rf"{_TOKEN}(?:[ \t]+{_TOKEN})*")
_MARKERS = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]")
_NOTES = re.compile(r"\s*\((?:as of [^()]*|article [^()]*|undated|not dated[^()]*)\)", re.I)
_DATE = (r"(?:not before \d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|[A-Z][a-z]+\s+\d{4}"
         r"|\d{4}(?:-\d\d){0,2}|undated)")
_LEAD_IN = re.compile(rf"(?:“[^”]*”|[^,“”:]{{1,60}}?)(?:,\s*{_DATE}|\s*\((?:article\s+)?undated\))|“[^”]*”")
_QUOTE_OPEN = re.compile(r":\s*“")
_QUOTE_CLOSE = re.compile(r"”(?=\s*(?:\[\d+|\((?:as of|article|undated|not dated)|[.;]?\s*$|[.;]\s+(?:[A-Z“]|$)))")
_WHO_IS = re.compile(r"(?i:who|what)\s+(?i:is|was)\s+([A-Z][^?]*?)\s*\??$")
_COMMON_ENDINGS = ("ingly", "edly", "ally", "ently", "antly", "ously", "ively", "ately", "ably", "ibly", "arly",
                   "ing", "tion", "sion", "ness", "ment", "ity", "ever", "ward", "wise", "ful")
_PAST = frozenset("said told left met went came took gave made sent held led won lost saw knew wrote spoke is was has "
                  "had will would can could says tells added noted stated commented stressed explained warned "
                  "insisted argued recalled replied announced thinks thought believes believed".split())
_BARE_WH = re.compile(r"(?:and\s+)?((?:who|what|when|where|why|how(?:\s+(?:many|much|long|often))?)(?:\s+not)?)"
                      r"\s*\??", re.I)
_ACCORDING = re.compile(r",?\s*\baccording to\b\s*", re.I)


@dataclass(frozen=True)
class Name:
    text: str
    kind: str  # person | place | org | outlet


@dataclass
class AnswerParts:
    """An answer taken apart: the asked item (its lead), the attributions, the quotes, other prose."""

    item: str = ""
    attributions: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    prose: str = ""


# --- reading names -------------------------------------------------------------------------------
def _bare(word: str) -> str:
    return re.sub(r"[’']s$", "", word.lower().replace("’", "'"))


def _sentence_initial(text: str, start: int) -> bool:
    before = _MARKERS.sub("", text[:start]).rstrip()
    return not before or before[-1] in ".!?:;“\"(—–"


def known_tokens(*texts: str) -> set[str]:
    """Capitalised words seen where they do not start a sentence: names, wherever else they stand."""
    out = set()
    for text in texts:
        for m in _SEQ.finditer(text):
            words = m.group().split()
            first = 1 if _sentence_initial(text, m.start()) else 0
            out |= {_bare(w) for w in words[first:]}
    return out - NOT_NAMES


def _acts(word: str, after: str) -> bool:
    """"Antonov left", "Ryabkov said": a lone sentence-initial word that does something, and does not
    look like a common word ("Officials said", "Interestingly", "Negotiations with")."""
    w = _bare(word)
    if w in NOT_NAMES or w.endswith(_COMMON_ENDINGS) or (w.endswith("s") and not w.endswith(("ss", "us"))):
        return False
    m = re.match(r"\s+([a-z]+)\b", after)
    return bool(m) and (m.group(1) in _PAST or m.group(1) in _VERBS - {"talks", "report", "reports"}
                        or (m.group(1).endswith("ed") and len(m.group(1)) > 4))


def _kind(words: list[str]) -> str | None:
    low = [_bare(w) for w in words]
    parts = [p for w in low for p in w.split("-") if p]
    if not words or all(w in _DATE_WORDS or w.isdigit() for w in low):
        return None
    if " ".join(low) in OUTLETS:
        return "outlet"
    if all(p in PLACE_WORDS for p in parts) or any(p in {"north", "south", "atlantic", "pacific", "arctic"} for p in parts):
        return "place"
    if all(w in TITLES or w in PLACE_WORDS for w in low):
        return None  # "Under Secretary", "U.S. Ambassador": a title, not a name
    if any(p in INSTITUTION_WORDS for p in parts) or any(
            len(w) >= 2 and w.replace(".", "").isupper() and _bare(w) not in PLACE_WORDS | TITLES for w in words):
        return "org"
    return "person"


def _names(text: str, known: set[str] | None = None) -> list[Name]:
    """Names in ``text`` in order, each once: titles dropped ("Russia's Deputy Foreign Minister Sergei
    Ryabkov" → "Sergei Ryabkov"), dates and question words out, and a lone capitalised word that only
    starts a sentence ("However", "Head") out unless ``known`` has it."""
    out: list[Name] = []
    for _, name in _name_spans(text, known):
        if all(n.text != name.text for n in out):
            out.append(name)
    return out


def _name_spans(text: str, known: set[str] | None = None) -> list[tuple[int, Name]]:
    """(start offset, name) of every name in ``text``, as :func:`_names` reads them."""
    known = known or set()
    out: list[tuple[int, Name]] = []
    spans: list[list[int]] = []
    for m in _SEQ.finditer(text):  # "Department" + "of the" + "North Atlantic": one name
        if spans and _bare(text[spans[-1][0]:spans[-1][1]].split()[-1]) in INSTITUTION_WORDS \
                and re.fullmatch(r" (?:of|for)(?: the)? ", text[spans[-1][1]:m.start()]):
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    for start, end in spans:
        words = text[start:end].split()
        initial = _sentence_initial(text, start)
        while words and (_bare(words[0]) in NOT_NAMES or _bare(words[0]) in _DATE_WORDS
                         or (initial and len(words) > 1 and _bare(words[0]).endswith(_COMMON_ENDINGS))):
            words, initial = words[1:], False
        words = [w for w in words if not re.fullmatch(r"[A-Z]", w)]
        if not words:
            continue
        if initial and len(words) == 1 and _bare(words[0]) not in known and _kind(words) == "person" \
                and not _acts(words[0], text[end:]):
            continue  # "However", "Head of": a lone capitalised word that starts a sentence is no name
        words[-1] = re.sub(r"[’']s$|[’']$", "", words[-1])
        split = next((i + 1 for i in range(len(words) - 1) if _bare(words[i]) in INSTITUTION_WORDS
                      and words[i + 1][:1].isupper() and _kind(_strip_titles(words[i + 1:])) == "person"), None)
        for part in ([words[:split], words[split:]] if split else [words]):
            part = _strip_titles(part)  # "Russian Academy of Sciences Pavel Sharikov": two names
            kind = _kind(part) if part else None
            if kind is not None:
                out.append((start, Name(" ".join(part), kind)))
    return out


def _strip_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and (_bare(words[0]) in TITLES or _bare(words[0]) in PLACE_WORDS) \
            and _bare(words[-1]) not in TITLES \
            and _bare(words[-1]) not in INSTITUTION_WORDS and _kind(words[-1:]) in ("person", "org"):
        words = words[1:]
    while words and _bare(words[-1]) in _DATE_WORDS:
        words = words[:-1]
    return words


def names_in(text: str) -> list[str]:
    """Capitalised names in order of appearance ("Anatoly Antonov", "New START"), without question words."""
    return [n.text for n in _names(text, known_tokens(text))]


# --- reading answers -----------------------------------------------------------------------------
def _mask_quotes(text: str) -> str:
    return re.sub(r"“[^”]*”", lambda m: "“" + "x" * (len(m.group()) - 2) + "”", text)


def _sentences(text: str) -> list[str]:
    """Split at sentence ends outside quotes ("U.S." and "Mar. 30" stay whole)."""
    masked, out, start = _mask_quotes(text), [], 0
    for m in re.finditer(r"(?<=[a-z0-9)”\]][.!?])\s+(?=[A-Z“\"])", masked):
        out.append(text[start:m.start()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _split_head(head: str) -> tuple[str, str]:
    """("asked item", "attribution") of the text before an answer's quote."""
    head = head.strip(" ,")
    m = _ACCORDING.search(head)
    if m and m.start() == 0:  # "According to TASS, 30 March 2021, Darchiyev …"
        rest = head[m.end():]
        lead = _LEAD_IN.match(rest)
        if lead:
            return rest[lead.end():].strip(" ,"), rest[:lead.end()]
        return "", rest
    if m:
        return head[:m.start()].strip(" ,"), head[m.end():].strip()
    if _LEAD_IN.fullmatch(head):
        return "", head
    return head, ""


def _clean(text: str) -> str:
    return " ".join(_NOTES.sub("", _MARKERS.sub("", text)).split()).strip(" .")


def answer_parts(answer: str) -> AnswerParts:
    """Take an answer apart: "ITEM, according to OUTLET, DATE: “QUOTE” [1] (as of …)." or
    "OUTLET, DATE: “QUOTE” [1]." or plain sentences (the first is the lead).

    A quote opens after a colon and closes at the ” before its [n] marker, its "(as of …)" note or
    the end, so a quote may hold quotes of its own (called Putin a “murderer,” CNN reported).
    """
    text = answer or ""
    parts, item, pos = AnswerParts(), None, 0
    prose: list[str] = []
    for opening in _QUOTE_OPEN.finditer(text):
        if opening.start() < pos:
            continue
        close = _QUOTE_CLOSE.search(text, opening.end())
        end = close.start() if close else len(text)
        body = text[pos:opening.start()]
        sentences = _sentences(body) or [""]
        prose.extend(sentences[:-1])
        lead, attribution = _split_head(_MARKERS.sub("", sentences[-1]))
        if item is None:
            item = lead
        elif lead:
            prose.append(lead)
        if attribution:
            parts.attributions.append(attribution)
        parts.quotes.append(text[opening.end():end].strip())
        pos = end + 1
    rest = text[pos:]
    if item is None:
        sentences = _sentences(_MARKERS.sub("", rest)) or [""]
        item, attribution = _split_head(_NOTES.sub("", sentences[0]).strip(" ."))
        if attribution:
            parts.attributions.append(attribution)
        rest = " ".join(sentences[1:])
    prose.append(rest)
    parts.item = _clean(item)
    parts.prose = " ".join(_clean(p) for p in prose if _clean(p))
    return parts


@dataclass
class _Turn:
    question: str
    item: list[Name]
    asked: list[Name]  # the question's names
    quoted: list[Name]
    outlets: set[str]


def _turn(question: str, answer: str, known: set[str]) -> _Turn:
    parts = answer_parts(answer)
    sources = [re.sub(r"“[^”]*”", "", a) for a in parts.attributions]  # a title in a lead-in names no outlet
    outlets = {n.text.lower() for a in sources for n in _names(a, known | known_tokens(a))}
    item_known = known | {_bare(w) for w in parts.item.split()} if _SEQ.fullmatch(parts.item or "-") else known

    def keep(names: list[Name]) -> list[Name]:
        return [n for n in names if n.kind != "outlet" and n.text.lower() not in outlets]

    return _Turn(question, keep(_names(parts.item, item_known)), keep(_names(question, known)),
                 keep(_names(" ".join(parts.quotes + [parts.prose]), known)), outlets)


def _known(history: list[tuple[str, str]], question: str) -> set[str]:
    texts = [question] + [t for q, a in history for t in (q, _MARKERS.sub("", a))]
    return known_tokens(*texts)


def _mentioned(name: str, text: str) -> bool:
    def norm(t: str) -> str:
        return re.sub(r"\b([a-z])\.", r"\1", t.lower().replace("’", "'"))  # "U.S." is "US"

    low, last = norm(text), norm(_bare(name.split()[-1]))
    return any(re.search(rf"(?<![\w.]){re.escape(x)}(?![\w])", low) for x in {norm(name), last})


# --- pronouns ------------------------------------------------------------------------------------
def _tokens(question: str) -> list[re.Match]:
    return list(_WORD.finditer(question))


def referential_pronouns(question: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the pronouns that point outside the question: "he" in "When was he
    appointed?", not in "Who interviewed Biden when he agreed…"; "that" in "When did that happen?",
    not in "Who said that…"; "there" in "What happened there?", not in "Was there a comment?"."""
    toks = _tokens(question)
    low = [t.group().lower().replace("’", "'") for t in toks]
    first_aux = next((i for i, w in enumerate(low) if w in AUX), len(low))
    spans = _name_spans(question, known_tokens(question))
    out = []
    for i, (t, w) in enumerate(zip(toks, low)):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        before = question[:t.start()]
        names_before = [n for start, n in spans if start < t.start()]
        named_before = bool(names_before)
        if w in PERSON_PRONOUNS:
            # bound by a person named before it, or by the subject of "Which ambassador told CNN he…"
            subject_wh = low[0] in {"who", "which", "what", "whose"} and first_aux > 1 and i > 2
            if not (any(n.kind == "person" for n in names_before) or subject_wh):
                out.append((t.start(), t.end(), w))
        elif w in {"its", "their", "theirs"}:
            if not (named_before or re.search(r"\b(the|a|an)\b", before, re.I)):
                out.append((t.start(), t.end(), w))
        elif w in {"they", "them", "themselves"}:
            if not (named_before or re.search(r"\bthe\b", before, re.I)):
                out.append((t.start(), t.end(), w))
        elif w in {"it", "itself"}:
            if nxt not in _NOT_REFERENTIAL_AFTER_IT and not (prev in BE and nxt in {"that", "to"}):
                out.append((t.start(), t.end(), w))
        elif w == "that":
            if not nxt or prev in AUX or prev in PREPS or prev in WH:
                out.append((t.start(), t.end(), w))
        elif w in {"this", "these", "those"}:
            if nxt not in _TIME_WORDS and nxt != "who":
                out.append((t.start(), t.end(), w))
        elif w == "there":
            if prev not in BE and nxt not in BE and nxt != "'s":
                out.append((t.start(), t.end(), w))
        elif w == "then":
            out.append((t.start(), t.end(), w))
    return out


def person_referent(question: str, history: list[tuple[str, str]]) -> str | None:
    """The person "he/she" stands for: the one the latest answer's lead names (the asked item, not a
    name the question already had), else the latest question's person, else the same in earlier turns.
    A turn whose question itself said "he/his" passes the person on from the turn before."""
    known = _known(history, question)
    gender = {w for *_, w in referential_pronouns(question)} & PERSON_PRONOUNS
    for q, a in reversed(history):
        t = _turn(q, a, known)
        about = _WHO_IS.match(q.strip())
        if about:  # "Who is Pavel Sharikov?": the answer describes him; he is the one asked about
            subject = about.group(1)
            named = [n.text for n in _names(subject, known | {_bare(w) for w in subject.split()})]
            if len(named) == 1 and _kind(named[0].split()) == "person":
                return named[0]
        follow_up = bool({w for *_, w in referential_pronouns(q)} & PERSON_PRONOUNS)
        lead = answer_parts(a).item.split()[:1]
        if follow_up and lead and lead[0].lower() in (MALE if gender & MALE else FEMALE):
            continue  # "He left Washington after Biden…": the answer is about the person asked about before
        persons = [n.text for n in t.item if n.kind == "person"]
        asked = [n.text for n in t.asked if n.kind == "person"]
        quoted = [n.text for n in t.quoted if n.kind == "person"] if not t.item else []
        candidates = [p for p in persons + quoted if not _mentioned(p, q)] + asked + persons
        if not candidates and not follow_up:
            candidates = [n.text for n in t.quoted if n.kind == "person"]
        if candidates:
            return candidates[0]
    return None


def _substitute_persons(question: str, referent: str) -> str:
    spans = [s for s in referential_pronouns(question) if s[2] in PERSON_PRONOUNS]
    if not spans or ({w for *_, w in spans} & MALE and {w for *_, w in spans} & FEMALE):
        return question  # "What did he tell her?": two people, keep the words and append names
    out, last = [], 0
    for start, end, w in spans:
        if w in {"himself", "herself"}:
            continue
        nxt = re.match(r"\s*([A-Za-z’']+)", question[end:])
        possessive = w in {"his", "hers"} or (w == "her" and nxt and nxt.group(1).lower() not in
                                              PREPS | AUX | DETS | {"and", "or", "that", "if", "when", "after"})
        out += [question[last:start], f"{referent}'s" if possessive else referent]
        last = end
    return "".join(out) + question[last:]


# --- ellipsis ------------------------------------------------------------------------------------


def _plural(words: list[str]) -> bool:
    head = next((w for w in words if w.lower() in PREPS), None)
    np = words[:words.index(head)] if head else words
    last = np[-1].lower().strip("?,.") if np else ""
    return (last.endswith("s") and not last.endswith("ss") and len(last) > 3) or " and " in " ".join(np)


def _reframe(wh: str, prev: str, item: str | None) -> str | None:
    """The previous question asked with another question word: "When?" after "Who expelled the
    diplomats?" → "When were the diplomats expelled?"; "Why not?" after "Did X think Y?" → "Why didn't X think Y?"."""
    negate = wh.lower().endswith(" not")
    wh = wh[: -len(" not")] if negate else wh
    wh = wh[0].upper() + wh[1:]
    words = prev.strip().rstrip("?").split()
    low = [w.lower() for w in words]
    if not words:
        return None

    def aux_form(aux: str) -> str:
        return _NEGATIVE.get(aux, aux + " not") if negate else aux

    if low[0] in AUX:  # yes/no question
        return f"{wh} {aux_form(low[0])} {' '.join(words[1:])}?"
    if low[0] not in WH:
        return None
    j = next((i for i, w in enumerate(low[:7]) if w in AUX), None)
    if low[0] in {"who", "what"} and len(low) > 2 and j != 1:  # subject question: "Who expelled the diplomats?"
        part = past_participle(low[1])
        if part and not set(low[2:]) & AUX:  # not "Who said the US has channels…"
            obj = words[2:]
            be = "were" if _plural(obj) else "was"
            return f"{wh} {aux_form(be)} {' '.join(obj)} {part}?"
        return None
    if j is None or j + 1 >= len(words):
        return None
    rest = " ".join(words[j + 1:])
    if j == 1 and low[0] in {"who", "what"} and low[1] in BE:  # "Who was appointed …?" → the answer is the subject
        return f"{wh} {aux_form(low[1])} {item} {rest}?" if item else None
    return f"{wh} {aux_form(low[j])} {rest}?"


def _head_span(np: list[str], words: list[str]) -> tuple[int, int] | None:
    """Where in ``words`` the noun phrase parallel to ``np`` stands (same head noun)."""
    np_low = [w.lower().strip("?,.") for w in np]
    cut = next((i for i, w in enumerate(np_low) if w in PREPS), len(np_low))
    if cut == 0:
        return None
    head = np_low[cut - 1]
    low = [w.lower().strip("?,.") for w in words]
    h = next((i for i, w in enumerate(low) if stem(w) == stem(head)), None)
    if h is None:
        return None
    start = h
    while start > 0 and h - start < 3:
        w = low[start - 1]
        if w in AUX or w in WH or w in PREPS or w in _VERBS or (w.endswith("ed") and len(w) > 4):
            break
        start -= 1
        if w in DETS or w.endswith(("'s", "’s")):
            break
    end = h + 1
    if cut < len(np_low) and end < len(low) and low[end] in PREPS:  # the new phrase brings its own "in Washington"
        end += 1
        if end < len(low) and low[end] in DETS:
            end += 1
        while end < len(words) and words[end][:1].isupper():
            end += 1
    return start, end


def _substitute_phrase(np: str, prev: str, known: set[str]) -> str | None:
    """"And the Russian side?" after "What did the US side say?" → "What did the Russian side say?"."""
    np_words, words = np.strip().rstrip("?").split(), prev.strip().rstrip("?").split()
    if not np_words or not words:
        return None
    span = _head_span(np_words, words)
    if span:
        start, end = span
        return " ".join(words[:start] + np_words + words[end:]) + "?"
    new = _names(np, known | known_tokens(np) | {_bare(w) for w in np_words})
    bare_np = " ".join(w for w in np_words if w.lower() not in DETS)
    if len(new) == 1 and new[0].text == bare_np:  # "What about Reuters?", not "And the Russian side?"
        same = [n for n in _names(prev, known) if n.kind == new[0].kind]
        if same:
            return re.sub(re.escape(same[0].text), np.strip().rstrip("?"), prev.strip(), count=1).rstrip("?") + "?"
    return None


def _is_question(text: str) -> bool:
    first = text.strip().split()[0].lower() if text.strip() else ""
    return first in WH or first in AUX


# --- the rewrite ---------------------------------------------------------------------------------
def needs_context(question: str) -> bool:
    """A question that leans on earlier turns: a pronoun that points outside it, a leading
    "and/what about", a bare "When?"/"Why not?", or a short question without a name of its own
    ("Where were the consultations held?"; not "Who is Pavel Sharikov?")."""
    q = question.strip()
    words = [w.lower() for w in _ANY_WORD.findall(q)]
    if not words:
        return False
    if _LEADS.match(q) or referential_pronouns(q) or set(words) & _RU_PRONOUNS or _RU_LEADS.match(q):
        return True
    short = len(content_terms(q) - PRONOUNS) <= 1 or len(words) <= 6
    own = _names(q, known_tokens(q)) or _RU_NAME.search(q)  # "Когда Антонов покинул Вашингтон?" names its own
    return short and not own


def _topic_phrases(question: str) -> list[str]:
    """Noun phrases of a question without its names, question words and verbs: "the US congressional
    proposal" of "How many Russian diplomats did the US congressional proposal want expelled?"."""
    chunks, cur = [], []
    for w in question.rstrip("?").split():
        lw = _bare(w.strip(",.?"))
        verb = lw in _VERBS or (lw.endswith("ed") and len(lw) > 4)
        if lw in WH or lw in AUX or lw in PREPS or lw in {"many", "much", "and", "or", "not"} or verb \
                or w.endswith(","):
            if w.endswith(",") and lw not in WH | AUX | PREPS and not verb:
                cur.append(w.strip(","))
            chunks.append(cur)
            cur = []
        else:
            cur.append(w)
    chunks.append(cur)
    out = []
    for c in chunks:
        while c and (_bare(c[-1]) in _VERBS or (_bare(c[-1]).endswith("ed") and len(c[-1]) > 4)):
            c = c[:-1]
        while c and (_bare(c[0]) in _VERBS or (_bare(c[0]).endswith("ed") and len(c[0]) > 4)
                     or _bare(c[0]) in DETS or _bare(c[0]) in PRONOUNS):
            c = c[1:]
        words = [w for w in c if not re.fullmatch(r"\d+", w)]
        if any(w[:1].islower() and _bare(w) not in PRONOUNS and content_terms(w) for w in words):
            out.append(" ".join(words))
    return out


def _context(question: str, history: list[tuple[str, str]], known: set[str], things: bool,
             referent: str | None, resolved: bool) -> list[str]:
    """What to append: the names of the latest turn (the answer's asked item first, then the
    question's, then the quote's), further back while a turn was itself a follow-up; for
    it/that/they also the previous question's noun phrases; the period the chain's latest question named
    ("in March 2021"), when the follow-up names none: "Why was he called back?" asks about that March.
    Places ("US", "Moscow") come last, two at most: in news about two countries they match nearly
    everything, but they still bring the dense similarity of a short question up to where the
    assistant's refusal gate trusts it."""
    names: list[Name] = []
    topics: list[str] = []
    periods: list[str] = []
    for n, (q, a) in enumerate(reversed(history)):
        t = _turn(q, a, known)
        quoted = t.quoted[:2] if not t.item else []
        names += t.item + t.asked + quoted
        if things and n == 0:
            topics += _topic_phrases(q)
        periods = periods or period_phrases(q)
        if not needs_context(q) or resolved:
            break  # further back only while the turns were follow-ups and no person was put in
    if referent and not resolved:
        names.insert(0, Name(referent, "person"))
    places = [n for n in dict.fromkeys(names) if n.kind == "place"][:2]
    names = [n for n in names if n.kind != "place"] + places
    place_names = {n.text for n in places}
    kept: list[str] = []
    for name in dict.fromkeys(n.text for n in names):
        if _mentioned(name, question) or any(_mentioned(name, k) or _mentioned(k, name) for k in kept) \
                or any(name[:5] == k[:5] and name in place_names and k in place_names for k in kept):
            continue  # not "Russia" beside "Russian"
        kept.append(name)
    topics = [p for p in dict.fromkeys(topics) if content_terms(p) - content_terms(question) - {
        _bare(w) for k in kept for w in k.split()}]
    if time_intent(question).any or time_intent(" ".join(kept[:4] + topics[:2])).any:
        periods = []  # the follow-up names its own time ("And in 2022?"), or a name already carries one
    return kept[:4] + topics[:2] + periods


def _rewrite(question: str, history: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """(the question with pronouns and ellipsis resolved, the names and topics to append)."""
    question = question.strip()
    if not history or not needs_context(question):
        return question, []
    known = _known(history, question)
    prev_q, prev_a = history[-1]
    prev = _rewrite(prev_q, history[:-1])[0]
    text = question
    lead = _LEADS.match(question)
    rest = question[lead.end():] if lead else question
    bare = _BARE_WH.fullmatch(question)
    item = next((n.text for n in _turn(prev_q, prev_a, known).item), None)
    if bare:
        text = _reframe(bare.group(1), prev, item) or question
    elif lead and rest.strip() and not _is_question(rest):
        text = _substitute_phrase(rest, prev, known) or question
    elif lead and rest.strip():
        text = rest[0].upper() + rest[1:]
    pronouns = {w for *_, w in referential_pronouns(text)}
    referent = person_referent(question, history) if pronouns & PERSON_PRONOUNS else None
    if referent:
        text = _substitute_persons(text, referent)
    resolved = bool(referent) and _mentioned(referent, text)
    things = bool(pronouns & THING_PRONOUNS) or bool(lead) or (text == question and not referent)
    return text, _context(text, history, known, things, referent, resolved)


def keyword_rewrite(question: str, history: list[tuple[str, str]]) -> str:
    """The rule-based standalone question: pronouns resolved, ellipsis expanded, names appended in
    parentheses. A question that does not need the conversation comes back as it is."""
    text, extra = _rewrite(question, history)
    return f"{text} ({', '.join(extra)})" if extra else text


_CONTEXT_NOTE = re.compile(r"(?<=\?)\s*\([^()]*\)\s*$")


def asked_part(standalone: str) -> str:
    """The standalone question without the names and topics :func:`keyword_rewrite` appends for
    retrieval ("What was Alexander Darchiyev's job before that? (Russia, diplomat, Russia's ambassador)"
    → "What was Alexander Darchiyev's job before that?"): they help find the passages, but they are
    not what the question asks, so a sentence about "ambassadors" does not answer a question about a job."""
    return _CONTEXT_NOTE.sub("", standalone)


def accept_rewrite(rewrite: str, question: str, history: list[tuple[str, str]]) -> bool:
    """Keep an LLM rewrite only if it is one plausible question that asks for the kind of item the
    question asks for, keeps the asker's words and, for "he/she/his/her", names the person the rules
    resolve (not one from an outlet lead-in).

    Why the kind: a small model answers instead of rewriting ("The State Duma proposed that …"), or
    drops the question word ("Why?" → "What does the United States have …?"); either retrieves and
    answers something else. A strong model's rewrite is a question of the same kind and passes."""
    rewrite = rewrite.strip()
    if not rewrite or "\n" in rewrite or len(rewrite) > 3 * len(question) + 80 or not rewrite.endswith("?"):
        return False
    kind = asked_kind(question)
    if kind != "other" and asked_kind(rewrite) != kind:
        return False  # "other" may be an ellipsis ("And the Russian ambassador?") that the rewrite completes
    own = content_terms(question) - PRONOUNS
    if own and len(own & content_terms(rewrite)) / len(own) < 0.6:
        return False
    if history and {w for *_, w in referential_pronouns(question)} & PERSON_PRONOUNS:
        referent = person_referent(question, history)
        if referent and not _mentioned(referent, rewrite):
            return False
    context = set().union(*(salient_terms(q) | salient_terms(a) for q, a in history)) if history else set()
    return not needs_context(question) or bool(salient_terms(rewrite) & context - salient_terms(question))


def clean_rewrite(text: str) -> str:
    text = text.strip().strip('"“”').strip()
    text = re.sub(r"^(rewritten question|standalone question|question|user)\s*:\s*", "", text, flags=re.I)
    return text.splitlines()[0].strip() if text else ""
