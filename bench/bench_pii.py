"""Personal information: Kaitiaki's detectors against Presidio's analyzer, same texts, same run.

    .venv/bin/python bench/bench_pii.py [--texts 1500] [--runs 3] [--quick]

Sets:
* a generated NZ-format set (fixed seed): IRD, NHI, phone, email, bank account, card numbers,
  street addresses and people's names given with a contact detail, among sentences with none and
  look-alikes (dates, amounts, reference numbers, a name with no detail). Numbers are made valid
  with independent code (python-stdnum, phonenumbers, the HISO 10046 check digit), not with
  Kaitiaki's validators;
* presidio-research's `synth_dataset_v2` (1,500 sentences, US formats), read from ../shared/data.

Presidio runs its predefined pattern recognizers on a blank spaCy pipeline (`spacy.blank("en")`):
nothing is downloaded, so it has no NER model and finds no PERSON or LOCATION. NZ is added to its
phone recognizer's regions, as an NZ user would configure it. Its email recognizer's tldextract
is given the bundled suffix list (it would otherwise fetch one). Default score threshold (0).

Kaitiaki runs `find_identifiers` + `find_personal_information` (the checker's personal-information
path), counting results at confidence 0.5 or above. Entity mapping (gold type: Kaitiaki / Presidio):
EMAIL_ADDRESS: email / EMAIL_ADDRESS; PHONE_NUMBER: nz_phone / PHONE_NUMBER; CREDIT_CARD:
payment_card / CREDIT_CARD; NZ_IRD: nz_ird / -; NZ_NHI: nz_nhi / -; NZ_BANK_ACCOUNT:
nz_bank_account / -; STREET_ADDRESS: nz_street_address / - (needs NER); PERSON: a name paired with
a personal detail / - (needs NER). Head-to-head scores use only the types both support.

A predicted span is a true positive when it overlaps a gold span of the same type not matched yet.
Precision, recall and F2 (recall weighs four times precision: a missed IRD number matters more
than a second look at a false one). Speed: texts per second, median of --runs runs, one process.
Writes bench/results/pii.json.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from collections.abc import Callable

from common import DATA_DIR, data_missing, f_beta, forbid_network, machine, median_rate, write_result

SEED = 20261123
Span = tuple[str, int, int]  # (entity type, start, end)

KAITIAKI_TYPES = {"email": "EMAIL_ADDRESS", "nz_phone": "PHONE_NUMBER", "payment_card": "CREDIT_CARD",
                  "nz_ird": "NZ_IRD", "nz_nhi": "NZ_NHI", "nz_bank_account": "NZ_BANK_ACCOUNT",
                  "nz_street_address": "STREET_ADDRESS"}
PRESIDIO_TYPES = {"EMAIL_ADDRESS": "EMAIL_ADDRESS", "PHONE_NUMBER": "PHONE_NUMBER", "CREDIT_CARD": "CREDIT_CARD"}
KAITIAKI_SUPPORTS = frozenset(KAITIAKI_TYPES.values()) | {"PERSON"}
PRESIDIO_SUPPORTS = frozenset(PRESIDIO_TYPES.values())
SHARED = sorted(KAITIAKI_SUPPORTS & PRESIDIO_SUPPORTS)

# --- the generated NZ-format set -----------------------------------------------------------------

GIVEN = ["Sarah", "Tom", "Mere", "Hēmi", "Sione", "Priya", "Aroha", "James", "Wiremu", "Mei", "Olivia", "Tama"]
FAMILY = ["Jones", "Parata", "Walker", "Tuilagi", "Patel", "Smith", "Ngata", "Chen", "Williams", "Brown"]
STREETS = ["Rata", "Kowhai", "Queen", "Victoria", "Tui", "Matai", "Karaka", "Hinemoa", "Cuba", "Rimu"]
STREET_TYPES = ["Street", "Road", "Avenue", "Terrace", "Crescent", "Place", "Drive"]
SUBURBS = ["Naenae", "Petone", "Ponsonby", "Riccarton", "Frankton", "Onekawa", "Kilbirnie", "Te Atatū"]
PLAIN = [
    "Kia ora, our offices are closed on Labour Day.", "Roads in Hawke's Bay reopen at 2pm on 12/03/2026.",
    "The grant of $1,250,000 was announced today.", "Thanks for the update, very helpful.",
    "Reference INC0012345 has been closed.", "SH1 is closed between 10am and 4pm, detour via SH2.",
    "Kia ora Tom, thanks for your question, we will reply soon.", "Budget 2026 figures are due on 28 May.",
    "Call 111 in an emergency.", "Case 2026-118734 is with the team.",
]
NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O (HISO 10046)


def _nhi(rng: random.Random) -> str:
    """An old-format NHI (AAANNNC) with its mod 11 check digit, per HISO 10046."""
    while True:
        letters = "".join(rng.choice(NHI_LETTERS) for _ in range(3))
        digits = [rng.randrange(10) for _ in range(3)]
        values = [NHI_LETTERS.index(char) + 1 for char in letters] + digits
        remainder = sum(value * weight for value, weight in zip(values, (7, 6, 5, 4, 3, 2))) % 11
        check = 11 - remainder
        if remainder and check != 10:  # remainder 0 or check 10: no valid NHI with this base
            return letters + "".join(map(str, digits)) + str(check)


def _ird(rng: random.Random) -> str:
    from stdnum.nz import ird

    while True:
        number = str(rng.randrange(10_000_000, 150_000_000))
        if ird.is_valid(number):
            padded = number.zfill(9)
            return rng.choice([f"{padded[:3]}-{padded[3:6]}-{padded[6:]}", number, f"{number[:-6]}-{number[-6:-3]}-{number[-3:]}"])


def _bank(rng: random.Random) -> str:
    from stdnum.nz import bankaccount

    while True:
        number = (f"{rng.choice(['01', '02', '03', '06', '12', '38'])}-{rng.randrange(1, 1000):04d}-"
                  f"{rng.randrange(10**7):07d}-{rng.randrange(100):02d}")
        if bankaccount.is_valid(number):
            return number if rng.random() < 0.8 else number.replace("-", " ")


def _card(rng: random.Random) -> str:
    digits = [4] if rng.random() < 0.6 else [5, rng.randrange(1, 6)]
    digits += [rng.randrange(10) for _ in range(15 - len(digits))]
    total = 0
    for index, digit in enumerate(reversed(digits)):  # Luhn, with the check digit still to come
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    number = "".join(map(str, digits + [(10 - total % 10) % 10]))
    separator = rng.choice([" ", "-", ""])
    return separator.join(number[i:i + 4] for i in range(0, 16, 4))


def _phone(rng: random.Random) -> str:
    import phonenumbers

    while True:
        kind = rng.random()
        if kind < 0.5:
            number = f"02{rng.choice('127')} {rng.randrange(200, 1000)} {rng.randrange(10000):04d}"
        elif kind < 0.8:
            number = f"(0{rng.choice('34679')}) {rng.randrange(200, 1000)} {rng.randrange(10000):04d}"
        else:
            number = f"+64 2{rng.choice('127')} {rng.randrange(200, 1000)} {rng.randrange(10000):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "NZ")):
            return number


def _email(rng: random.Random, given: str, family: str) -> str:
    local = rng.choice([f"{given}.{family}", f"{given[0]}{family}", f"{given}{rng.randrange(10, 99)}"])
    local = local.lower().replace("ē", "e")
    return f"{local}@{rng.choice(['gmail.com', 'xtra.co.nz', 'outlook.com', 'orcon.net.nz'])}"


def _address(rng: random.Random) -> str:
    return f"{rng.randrange(1, 300)} {rng.choice(STREETS)} {rng.choice(STREET_TYPES)}, {rng.choice(SUBURBS)}"


TEMPLATES = [
    "Please call {PERSON} on {PHONE_NUMBER} about the claim.",
    "{PERSON} lives at {STREET_ADDRESS} and can be reached on {PHONE_NUMBER}.",
    "Email {PERSON} at {EMAIL_ADDRESS} before Friday.",
    "My IRD number is {NZ_IRD}, can you check my refund?",
    "{PERSON}'s NHI is {NZ_NHI} and she was seen on Monday.",
    "Pay the refund into account {NZ_BANK_ACCOUNT} please.",
    "The card {CREDIT_CARD} was charged twice.",
    "You can send it to {EMAIL_ADDRESS} or ring {PHONE_NUMBER}.",
    "New address for {PERSON}: {STREET_ADDRESS}.",
    "IRD {NZ_IRD}, bank {NZ_BANK_ACCOUNT}.",
    "Text me on {PHONE_NUMBER} if the road is open.",
    "Patient {NZ_NHI} missed the appointment.",
]


def nz_set(count: int) -> list[tuple[str, list[Span]]]:
    rng = random.Random(SEED)
    makers: dict[str, Callable[[], str]] = {
        "PHONE_NUMBER": lambda: _phone(rng), "NZ_IRD": lambda: _ird(rng), "NZ_NHI": lambda: _nhi(rng),
        "NZ_BANK_ACCOUNT": lambda: _bank(rng), "CREDIT_CARD": lambda: _card(rng),
        "STREET_ADDRESS": lambda: _address(rng),
    }
    rows = []
    for _ in range(count):
        if rng.random() < 0.35:
            rows.append((rng.choice(PLAIN), []))
            continue
        template = rng.choice(TEMPLATES)
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        text, spans, rest = "", [], template
        while "{" in rest:
            before, _, after = rest.partition("{")
            kind, _, rest = after.partition("}")
            text += before
            if kind == "PERSON":
                value = f"{given} {family}"
            elif kind == "EMAIL_ADDRESS":
                value = _email(rng, given, family)
            else:
                value = makers[kind]()
            spans.append((kind, len(text), len(text) + len(value)))
            text += value
        rows.append((text + rest, spans))
    return rows


def synth_set(limit: int | None) -> list[tuple[str, list[Span]]]:
    records = json.loads((DATA_DIR / "presidio_research" / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    rows = [(record["full_text"], [(span["entity_type"], span["start_position"], span["end_position"])
                                   for span in record["spans"]]) for record in records]
    return rows[:limit] if limit else rows


# --- the two systems ------------------------------------------------------------------------------

def kaitiaki() -> Callable[[str], list[Span]]:
    from kaitiaki.checker.detectors.identifiers import find_identifiers
    from kaitiaki.checker.detectors.personal import find_personal_information

    def detect(text: str) -> list[Span]:
        identifiers = find_identifiers(text)
        spans = [(KAITIAKI_TYPES[match.entity], match.start, match.end) for match in identifiers
                 if match.confidence >= 0.5 and match.entity in KAITIAKI_TYPES]
        names = {(info.name.start, info.name.end) for info in find_personal_information(text, identifiers)
                 if info.confidence >= 0.5}
        emails = [(start, end) for kind, start, end in spans if kind == "EMAIL_ADDRESS"]
        # A name read from an email address is the address itself, already reported as one.
        spans += [("PERSON", start, end) for start, end in names
                  if not any(e_start <= start and end <= e_end for e_start, e_end in emails)]
        return spans

    return detect


def presidio() -> Callable[[str], list[Span]]:
    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    # Presidio's email recognizer calls tldextract.extract, which fetches the suffix list.
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        """A spaCy engine on a blank English pipeline: tokens only, no model to download."""

        def __init__(self) -> None:
            super().__init__(models=[{"lang_code": "en", "model_name": "blank:en"}])

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacyNlpEngine()
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=engine, languages=["en"])
    registry.remove_recognizer("PhoneRecognizer")
    registry.add_recognizer(PhoneRecognizer(supported_regions=(*PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS, "NZ")))
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])

    def detect(text: str) -> list[Span]:
        return [(PRESIDIO_TYPES[result.entity_type], result.start, result.end)
                for result in analyzer.analyze(text, language="en") if result.entity_type in PRESIDIO_TYPES]

    return detect


# --- scoring --------------------------------------------------------------------------------------

def score(rows: list[tuple[str, list[Span]]], predictions: list[list[Span]], types: list[str]) -> dict:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # true positives, predicted, gold
    for (_text, gold), predicted in zip(rows, predictions, strict=True):
        for kind in types:
            wanted = [(start, end) for k, start, end in gold if k == kind]
            matched: set[int] = set()
            found = [(start, end) for k, start, end in predicted if k == kind]
            for start, end in found:
                hit = next((i for i, (g_start, g_end) in enumerate(wanted)
                            if i not in matched and start < g_end and g_start < end), None)
                if hit is not None:
                    matched.add(hit)
            counts[kind][0] += len(matched)
            counts[kind][1] += len(found)
            counts[kind][2] += len(wanted)
    table = {}
    for kind in [*types, "all"]:
        tp, predicted, gold = ([sum(counts[k][i] for k in types) for i in range(3)] if kind == "all"
                               else counts[kind])
        if not gold and not predicted:
            continue
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        table[kind] = {"precision": round(precision, 4), "recall": round(recall, 4),
                       "f2": round(f_beta(precision, recall, 2), 4), "gold": gold, "predicted": predicted}
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1500, help="size of the generated NZ set")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="500 texts per set, one run")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    forbid_network()

    sets = {"generated NZ formats": nz_set(500 if args.quick else args.texts)}
    notes = {}
    missing = data_missing("presidio_research", "synth_dataset_v2.json")
    if missing:
        notes["presidio-research synth_dataset_v2"] = missing
    else:
        sets["presidio-research synth_dataset_v2"] = synth_set(500 if args.quick else None)
    systems = {"Kaitiaki": (kaitiaki(), KAITIAKI_SUPPORTS), "Presidio analyzer": (presidio(), PRESIDIO_SUPPORTS)}

    report: dict = {"machine": machine(), "runs": runs, "quick": args.quick, "notes": notes,
                    "shared_types": SHARED, "sets": {}}
    for set_name, rows in sets.items():
        texts = [text for text, _ in rows]
        gold_types = sorted({kind for _, spans in rows for kind, _, _ in spans})
        entry: dict = {"texts": len(rows), "gold_spans": {kind: sum(1 for _, spans in rows for k, _, _ in spans if k == kind)
                                                          for kind in gold_types}, "systems": {}}
        for name, (detect, supports) in systems.items():
            for text in texts[:20]:
                detect(text)  # warm caches
            predictions = [detect(text) for text in texts]
            speed = median_rate(lambda: [detect(text) for text in texts], len(texts), runs)
            entry["systems"][name] = {
                "shared_types": score(rows, predictions, SHARED),
                "own_types": score(rows, predictions, [kind for kind in gold_types if kind in supports]),
                "texts_per_second": speed["per_second"], "texts_per_cpu_second": speed["per_cpu_second"],
            }
        ours, peer = entry["systems"]["Kaitiaki"], entry["systems"]["Presidio analyzer"]
        entry["speed_over_presidio"] = round(ours["texts_per_second"] / peer["texts_per_second"], 2)
        entry["f2_minus_presidio"] = round(ours["shared_types"]["all"]["f2"] - peer["shared_types"]["all"]["f2"], 4)
        report["sets"][set_name] = entry
        print(f"\n{set_name}: {len(rows)} texts; gold spans {entry['gold_spans']}")
        for name, row in entry["systems"].items():
            print(f"  {name:<18} {row['texts_per_second']:>9,.0f} texts/s")
            for kind, figures in row["shared_types"].items():
                print(f"    shared {kind:<16} P {figures['precision']:.3f} R {figures['recall']:.3f} F2 {figures['f2']:.3f}")
            for kind, figures in row["own_types"].items():
                if kind not in SHARED and kind != "all":
                    print(f"    own    {kind:<16} P {figures['precision']:.3f} R {figures['recall']:.3f} F2 {figures['f2']:.3f}")
    for name, note in notes.items():
        print(f"{name}: {note}")
    print(f"written to {write_result('pii', report)}")


if __name__ == "__main__":
    main()
