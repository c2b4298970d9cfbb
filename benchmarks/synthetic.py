"""A synthetic news corpus at any size, made deterministically (seeded) from the sample's sentences.

Names, places, numbers and dates are varied so the text still looks like news to the tokenizer and
to BM25 (a realistic vocabulary that grows with the corpus), not like N copies of five articles.
Generated on demand into a folder; never committed.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from core.settings import REPO_ROOT
from core.language import MONTHS, split_sentences
from index.clean import clean_document
from index.decode import decode_bytes
from index.models import RawDocument

FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Karim", "Lena", "Marco",
         "Nadia", "Oleg", "Paula", "Quentin", "Rosa", "Stefan", "Tariq", "Ursula", "Viktor", "Wen", "Yusuf", "Zara"]
LAST = ["Petrov", "Novak", "Schmidt", "Rossi", "Haddad", "Tanaka", "Kowalski", "Moreau", "Ivanova", "Okafor", "Lindqvist",
        "Costa", "Weber", "Sato", "Dubois", "Horvat", "Kaplan", "Larsen", "Mendes", "Nagy", "Orlov", "Park", "Quinn", "Reyes"]
PLACES = ["Vienna", "Geneva", "Helsinki", "Ankara", "Cairo", "Nairobi", "Jakarta", "Lima", "Oslo", "Warsaw", "Riga", "Baku",
          "Tbilisi", "Astana", "Hanoi", "Manila", "Dakar", "Quito", "Tunis", "Sofia", "Zagreb", "Minsk", "Yerevan", "Doha"]
OUTLETS = ["Daily Courier", "World Wire", "Capital Times", "Evening Post", "Global Dispatch", "Morning Herald"]
_NAME = re.compile(r"\b(Antonov|Sullivan|Ryabkov|Nuland|Lavrov|Peskov|Darchiyev|Rood|Sharikov|Yavitz|Burns|Nemtsov)\b")
_PLACE = re.compile(r"\b(Moscow|Washington|Istanbul|Vladivostok|Yekaterinburg|Geneva|New York)\b")
_NUMBER = re.compile(r"\b\d{1,3}\b")


def sample_sentences() -> list[str]:
    out = []
    for path in sorted((REPO_ROOT / "data" / "articles").glob("*.txt")):
        article = clean_document(RawDocument(str(path), decode_bytes(path.read_bytes())[0], "txt"))
        out += [article.text[s:e] for s, e in split_sentences(article.text) if len(article.text[s:e].split()) >= 6]
    return out


def vary(sentence: str, rng: random.Random) -> str:
    sentence = _NAME.sub(lambda m: rng.choice(LAST), sentence)
    sentence = _PLACE.sub(lambda m: rng.choice(PLACES), sentence)
    return _NUMBER.sub(lambda m: str(rng.randint(2, 400)), sentence)


def write_corpus(folder: Path, articles: int, seed: int = 7, sentences: tuple[int, int] = (8, 16)) -> list[Path]:
    """Write ``articles`` dated .txt news articles into ``folder``; the same seed gives the same files."""
    rng = random.Random(seed)
    pool = sample_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(articles):
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        place = rng.choice(PLACES)
        year, month, day = rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28)
        body = " ".join(vary(rng.choice(pool), rng) for _ in range(rng.randint(*sentences)))
        body = f"{person} met officials in {place} on {MONTHS[month - 1]} {day}, the ministry said. {body}"
        paras = re.sub(r"(?<=\.) (?=[A-Z][^.]{40,}\.)", lambda m: "\n\n" if rng.random() < 0.3 else " ", body)
        text = (f"{rng.choice(OUTLETS)}: {person} holds talks in {place} on embassy staffing, report {i}\n\n"
                f"{MONTHS[month - 1]} {day}, {year}\n\n{paras}\n")
        path = folder / f"synthetic_{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
