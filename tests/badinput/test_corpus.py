"""The bad-input corpus: hostile and careless files and arguments against every subcommand and
every report. Each case states the exit status and a phrase of the message; every case fails on
a traceback, checks that its input files are unchanged and that a failed run leaves no output.

Files are built here (deterministically) rather than committed: binary junk, truncated lines and
unsafe YAML are easier to read as the bytes that make them than as opaque fixtures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .conftest import digest, run_cli

LOG = "customer_id,date,amount,cost,contacts\n" + "".join(
    f"C{c:03d},2024-{m:02d}-{d:02d},{a},{a * 0.6:.2f},{c % 2}\n"
    for c in range(40)
    for m, d, a in ((1, 1 + c % 20, 50 + c), (3, 2 + c % 20, 30 + c), (5, 1 + c % 25, 20 + c))
)
ROWS = LOG.splitlines()
HEADER = ROWS[0]


def log_with(*replace: tuple[int, str], append: str = "", drop_last_newline=False) -> bytes:
    rows = list(ROWS)
    for i, text in replace:
        rows[i] = text
    text = "\n".join(rows) + "\n" + append
    if drop_last_newline:
        text = text.rstrip("\n")
    return text.encode()


SURVEY_HEAD = "respondent_id,wifi_functional,wifi_dysfunctional,app_functional,app_dysfunctional"
SURVEY = (
    SURVEY_HEAD
    + "\n"
    + "".join(
        f"R{i:03d},{1 + i % 5},{1 + (i * 3) % 5},{1 + (i * 2) % 5},{5 - i % 5}\n" for i in range(30)
    )
)
BONDS = "respondent_id,fin1,fin2,soc1,soc2\n" + "".join(
    f"R{i:02d},{1 + i % 7},{1 + (i * 3) % 7},{1 + (i * 2) % 7},{7 - i % 7}\n" for i in range(30)
)
SCALES = "financial: [fin1, fin2]\nsocial: [soc1, soc2]\nscale: [1, 7]\n"
CURVE = "year,cost,cumulative\n" + "".join(
    f"{2000 + i},{10 * 0.9**i:.3f},{2**i}\n" for i in range(10)
)
LOG_OPTS = ["--cost", "cost"]


@dataclass
class Case:
    id: str
    args: list
    code: int
    phrase: str
    files: dict = field(default_factory=dict)
    exists: tuple = ()  # outputs that exist before the run (and must survive it)
    out: str | None = None  # an output that must not appear when the run fails


def case(id, args, code, phrase, files=None, **kw):
    return Case(id, args, code, phrase, files or {}, **kw)


CASES = [
    # ---- transaction logs: customers, pyramid, clv ------------------------------------------
    case("log-empty", ["customers", "{log.csv}"], 2, "empty", {"log.csv": b""}),
    case(
        "log-header-only",
        ["customers", "{log.csv}"],
        2,
        "no data rows",
        {"log.csv": HEADER.encode() + b"\n"},
    ),
    case("log-binary", ["pyramid", "{log.csv}"], 2, "binary", {"log.csv": bytes(range(256)) * 8}),
    case(
        "log-undecodable",
        ["customers", "{log.csv}"],
        2,
        "cannot decode",
        {"log.csv": HEADER.encode() + b"\n\xff\xfe\xfa\x80,2024-01-01,1,1,0\n" * 3},
    ),
    case(
        "log-truncated",
        ["customers", "{log.csv}", *LOG_OPTS],
        2,
        "ends in the middle",
        {"log.csv": log_with(append="C999,2024-06-01,1", drop_last_newline=True)},
    ),
    case(
        "log-ragged",
        ["clv", "{log.csv}", *LOG_OPTS],
        2,
        "another number of fields",
        {"log.csv": log_with((5, "C004,2024-01-05,54"))},
    ),
    case(
        "log-ragged-dropped",
        ["customers", "{log.csv}", *LOG_OPTS, "--on-invalid", "drop"],
        0,
        "dropped 1 row: a number of fields other than the header's",
        {"log.csv": log_with((5, "C004,2024-01-05,54"))},
    ),
    case(
        "log-missing-column",
        ["customers", "{log.csv}", "--amount", "revenue"],
        2,
        "missing column(s) 'revenue'",
        {"log.csv": LOG.encode()},
    ),
    case(
        "log-duplicated-column",
        ["customers", "{log.csv}"],
        2,
        "duplicated column",
        {"log.csv": LOG.replace("contacts", "amount", 1).encode()},
    ),
    case(
        "log-text-amount",
        ["pyramid", "{log.csv}", *LOG_OPTS],
        2,
        "not a number: 'lots'",
        {"log.csv": log_with((3, "C002,2024-01-03,lots,1,0"))},
    ),
    case(
        "log-nan-amount",
        ["customers", "{log.csv}"],
        2,
        "not a number: 'nan'",
        {"log.csv": log_with((3, "C002,2024-01-03,nan,1,0"))},
    ),
    case(
        "log-inf-amount",
        ["customers", "{log.csv}"],
        2,
        "'inf'",
        {"log.csv": log_with((3, "C002,2024-01-03,inf,1,0"))},
    ),
    case(
        "log-huge-amount",
        ["clv", "{log.csv}", *LOG_OPTS],
        2,
        "not a plausible amount",
        {"log.csv": log_with((3, "C002,2024-01-03,1e308,1,0"))},
    ),
    case(
        "log-negative-event",
        ["customers", "{log.csv}", "--rate", "contacts=2"],
        2,
        "negative service-event value",
        {"log.csv": log_with((3, "C002,2024-01-03,5,3,-4"))},
    ),
    case(
        "log-date-2099",
        ["clv", "{log.csv}", *LOG_OPTS],
        2,
        "dated after",
        {"log.csv": log_with((3, "C002,2099-01-03,5,3,0"))},
    ),
    case(
        "log-date-2099-dropped",
        ["customers", "{log.csv}", "--on-invalid", "drop"],
        0,
        "dropped 1 row: dated after",
        {"log.csv": log_with((3, "C002,2099-01-03,5,3,0"))},
    ),
    case(
        "log-after-as-of",
        ["pyramid", "{log.csv}", "--as-of", "2024-02-01"],
        2,
        "dated after 2024-02-01",
        {"log.csv": LOG.encode()},
    ),
    case(
        "log-day-first-date",
        ["customers", "{log.csv}"],
        2,
        "not a date: '05/02/2024'",
        {"log.csv": log_with((3, "C002,05/02/2024,5,3,0"))},
    ),
    case(
        "log-impossible-date",
        ["customers", "{log.csv}"],
        2,
        "'2024-02-30'",
        {"log.csv": log_with((3, "C002,2024-02-30,5,3,0"))},
    ),
    case(
        "log-missing-id",
        ["customers", "{log.csv}"],
        2,
        "missing customer id",
        {"log.csv": log_with((3, ",2024-01-03,5,3,0"))},
    ),
    case(
        "log-one-customer-clv",
        ["clv", "{log.csv}"],
        2,
        "too few customers",
        {"log.csv": (HEADER + "\nA,2024-01-01,5,1,0\nA,2024-02-01,6,1,0\n").encode()},
    ),
    case(
        "log-one-row-pyramid",
        ["pyramid", "{log.csv}"],
        0,
        "1 customer",
        {"log.csv": (HEADER + "\nA,2024-01-01,5,1,0\n").encode()},
    ),
    case(
        "log-only-returns",
        ["customers", "{log.csv}"],
        2,
        "no customer has a purchase",
        {"log.csv": (HEADER + "\nA,2024-01-01,-5,-1,0\n").encode()},
    ),
    case(
        "log-calibration-before-start",
        ["clv", "{log.csv}", "--calibration-end", "2023-06-30"],
        2,
        "no customer has a purchase on or before",
        {"log.csv": LOG.encode()},
    ),
    case(
        "log-calibration-after-end",
        ["clv", "{log.csv}", "--calibration-end", "2024-12-31"],
        2,
        "no holdout period",
        {"log.csv": LOG.encode()},
    ),
    case(
        "log-as-of-before-calibration",
        ["clv", "{log.csv}", "--calibration-end", "2024-03-01", "--as-of", "2024-02-01"],
        2,
        "must be after --calibration-end",
        {"log.csv": LOG.encode()},
    ),
    case("log-input-is-directory", ["customers", "{dir}"], 2, "directory", {}),
    case("log-not-found", ["customers", "{missing.csv}"], 2, "not found", {}),
    case(
        "log-bad-rate",
        ["customers", "{log.csv}", "--rate", "contacts"],
        2,
        "COLUMN=RATE",
        {"log.csv": LOG.encode()},
    ),
    case(
        "log-bad-shares",
        ["pyramid", "{log.csv}", "--shares", "0.5,0.5,0.5,0.5"],
        2,
        "share",
        {"log.csv": LOG.encode()},
    ),
    case(
        "log-bad-memory-limit",
        ["customers", "{log.csv}", "--memory-limit", "lots"],
        2,
        "memory limit",
        {"log.csv": LOG.encode()},
    ),
    case(
        "out-exists",
        ["customers", "{log.csv}", "--out", "{old.csv}"],
        2,
        "exists; use --force",
        {"log.csv": LOG.encode(), "old.csv": b"keep me\n"},
        exists=("old.csv",),
    ),
    case(
        "out-is-input",
        ["pyramid", "{log.csv}", "--out", "{log.csv}", "--force"],
        2,
        "is the input file",
        {"log.csv": LOG.encode()},
    ),
    case(
        "out-is-directory",
        ["clv", "{log.csv}", "--out", "{dir}"],
        2,
        "is a directory",
        {"log.csv": LOG.encode()},
    ),
    case(
        "out-unwritable",
        ["customers", "{log.csv}", "--out", "{log.csv}/sub/out.csv"],
        2,
        "cannot write",
        {"log.csv": LOG.encode()},
    ),
    # ---- Kano surveys ------------------------------------------------------------------------
    case(
        "kano-all-blank",
        ["kano", "{s.csv}", "--respondent", "respondent_id", "--bootstrap", "0"],
        2,
        "no usable answer",
        {"s.csv": (SURVEY_HEAD + "\n" + "".join(f"R{i},,,,\n" for i in range(20))).encode()},
    ),
    case(
        "kano-unknown-wording",
        ["kano", "{s.csv}", "--bootstrap", "0"],
        2,
        "'sort of'",
        {"s.csv": SURVEY.replace("R003,4", "R003,sort of").encode()},
    ),
    case(
        "kano-code-out-of-range",
        ["kano", "{s.csv}", "--bootstrap", "0"],
        2,
        "'7'",
        {"s.csv": SURVEY.replace("R003,4", "R003,7").encode()},
    ),
    case(
        "kano-duplicate-ids",
        ["kano", "{s.csv}", "--respondent", "respondent_id", "--bootstrap", "0"],
        2,
        "R001",
        {"s.csv": SURVEY.replace("R002", "R001").encode()},
    ),
    case(
        "kano-malformed-labels",
        ["kano", "{s.csv}", "--labels", "{l.yaml}"],
        2,
        "not valid YAML",
        {"s.csv": SURVEY.encode(), "l.yaml": b"sort of: [3\n  ok: : :\n"},
    ),
    case(
        "kano-unsafe-labels",
        ["kano", "{s.csv}", "--labels", "{l.yaml}"],
        2,
        "refused",
        {"s.csv": SURVEY.encode(), "l.yaml": b'!!python/object/apply:os.system ["echo hi"]\n'},
    ),
    case(
        "kano-negative-bootstrap",
        ["kano", "{s.csv}", "--bootstrap", "-5"],
        2,
        "bootstrap",
        {"s.csv": SURVEY.encode()},
    ),
    case(
        "kano-one-row",
        ["kano", "{s.csv}", "--bootstrap", "0"],
        0,
        "1 respondent",
        {"s.csv": (SURVEY_HEAD + "\nR1,1,5,2,5\n").encode()},
    ),
    # ---- bond scales -------------------------------------------------------------------------
    case(
        "bonds-out-of-range",
        ["bonds", "{b.csv}", "--scales", "{sc.yaml}"],
        2,
        "'9'",
        {
            "b.csv": BONDS.replace("R03,", "R03,9,", 1).replace(",9,4,", ",9,", 1).encode(),
            "sc.yaml": SCALES.encode(),
        },
    ),
    case(
        "bonds-malformed-scales",
        ["bonds", "{b.csv}", "--scales", "{sc.yaml}"],
        2,
        "not valid YAML",
        {"b.csv": BONDS.encode(), "sc.yaml": b"financial: [fin1, fin2\nsocial: soc1]\n"},
    ),
    case(
        "bonds-unknown-key",
        ["bonds", "{b.csv}", "--scales", "{sc.yaml}"],
        2,
        "emotional",
        {"b.csv": BONDS.encode(), "sc.yaml": (SCALES + "emotional: [fin1]\n").encode()},
    ),
    case(
        "bonds-unsafe-scales",
        ["bonds", "{b.csv}", "--scales", "{sc.yaml}"],
        2,
        "refused",
        {"b.csv": BONDS.encode(), "sc.yaml": b"financial: !!python/name:os.system\n"},
    ),
    # ---- experience curve and the profit-model catalogue -----------------------------------
    case(
        "curve-negative-cost",
        ["experience-curve", "{c.csv}", "--cost", "cost", "--cumulative", "cumulative"],
        2,
        "cost",
        {"c.csv": CURVE.replace("2001,9.000", "2001,-9").encode()},
    ),
    case(
        "curve-bad-level",
        [
            "experience-curve",
            "{c.csv}",
            "--cost",
            "cost",
            "--cumulative",
            "cumulative",
            "--level",
            "1.5",
        ],
        2,
        "level",
        {"c.csv": CURVE.encode()},
    ),
    case(
        "curve-missing-column",
        ["experience-curve", "{c.csv}", "--cost", "price", "--cumulative", "cumulative"],
        2,
        "price",
        {"c.csv": CURVE.encode()},
    ),
    case("profit-unknown-model", ["profit-models", "teleportation"], 2, "teleportation", {}),
    # ---- reports -----------------------------------------------------------------------------
    case("report-unknown", ["report", "no_such_report", "--out", "{rep}"], 2, "unknown report", {}),
    case(
        "report-unknown-parameter",
        ["report", "kano_report", "-p", "survy", "x.csv", "--out", "{rep}"],
        2,
        "unknown parameter(s) for report 'kano_report': survy",
        {},
        out="rep",
    ),
    case(
        "report-malformed-yaml",
        ["report", "kano_report", "-f", "{p.yaml}", "--out", "{rep}"],
        2,
        "not valid YAML",
        {"p.yaml": b"title: [unclosed\n  bad: : :\n"},
        out="rep",
    ),
    case(
        "report-unsafe-yaml",
        ["report", "kano_report", "-f", "{p.yaml}", "--out", "{rep}"],
        2,
        "refused",
        {"p.yaml": b'!!python/object/apply:os.system ["echo hi"]\n'},
        out="rep",
    ),
    case(
        "report-missing-file",
        ["report", "clv_report", "-p", "transactions", "{missing.csv}", "--out", "{rep}"],
        2,
        "file not found",
        {},
        out="rep",
    ),
    case(
        "report-empty-survey",
        ["report", "kano_report", "-p", "survey", "{s.csv}", "--out", "{rep}"],
        2,
        "empty",
        {"s.csv": b""},
        out="rep",
    ),
    case(
        "report-log-2099",
        [
            "report",
            "pyramid_report",
            "-p",
            "transactions",
            "{log.csv}",
            "-p",
            "service_costs",
            "contacts:20",
            "-p",
            "cost",
            "cost",
            "--out",
            "{rep}",
        ],
        2,
        "dated after",
        {"log.csv": log_with((3, "C002,2099-01-03,5,3,0"))},
        out="rep",
    ),
    case(
        "report-out-is-file",
        ["report", "kano_report", "--out", "{log.csv}"],
        2,
        "is a file",
        {"log.csv": LOG.encode()},
    ),
    case(
        "report-relationship-malformed-scales",
        ["report", "relationship_report", "-p", "scales", "{sc.yaml}", "--out", "{rep}"],
        2,
        "not valid YAML",
        {"sc.yaml": b"financial: [fin1, fin2\nsocial: soc1]\n"},
        out="rep",
    ),
    case(
        "report-profit-unsafe-figures",
        ["report", "profit_model_report", "-p", "figures", "{f.yaml}", "--out", "{rep}"],
        2,
        "refused",
        {"f.yaml": b"firm: !!python/object/apply:os.system ['echo hi']\n"},
        out="rep",
    ),
    case(
        "report-profit-negative-figures",
        ["report", "profit_model_report", "-p", "figures", "{f.yaml}", "--out", "{rep}"],
        2,
        "market_share",
        {"f.yaml": b"firm: X\nmarket_share: {own: -0.2, largest_rival: 0.3}\n"},
        out="rep",
    ),
    # ---- course tools ------------------------------------------------------------------------
    case(
        "datasets-out-exists",
        ["datasets", "build", "kano_survey", "--out", "{ds}"],
        2,
        "exists; use --force",
        {"ds/kano_survey.csv": b"keep me\n"},
        exists=("ds/kano_survey.csv",),
    ),
    case(
        "course-out-exists",
        ["notebooks", "course", "--out", "{course}"],
        2,
        "use --force",
        {"course/index.html": b"keep me\n"},
        exists=("course/index.html",),
    ),
]


def test_the_corpus_covers_every_subcommand_and_report():
    from customer_value import reports
    from customer_value.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    used = {c.args[0] for c in CASES}
    assert set(sub.choices) - {"exercises"} <= used, set(sub.choices) - used
    assert len(CASES) >= 40
    reported = {c.args[1] for c in CASES if c.args[0] == "report"}
    assert set(reports.available()) <= reported


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_bad_input_is_one_clear_error(c, tmp_path):
    paths = {}
    for name, content in c.files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content)
        paths[name] = p
    (tmp_path / "dir").mkdir()
    before = {name: digest(p) for name, p in paths.items()}

    def fill(arg):
        if isinstance(arg, str) and arg.startswith("{") and "}" in arg:
            key, rest = arg[1 : arg.index("}")], arg[arg.index("}") + 1 :]
            return str(tmp_path / key) + rest
        return arg

    r = run_cli(*[fill(a) for a in c.args])
    assert "Traceback" not in r.err and "Traceback" not in r.out, r
    assert r.code == c.code, r
    text = r.err if c.code else r.out
    assert c.phrase in text, r
    if c.code == 2:
        lines = [line for line in r.err.splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if "error:" in line)
        assert lines[start].startswith(("error:", "customer-value")) or "error:" in lines[start]
        assert "Warning" not in r.err, r
    for name, p in paths.items():
        assert digest(p) == before[name], f"{name} was modified"
    if c.out:
        assert not (tmp_path / c.out).exists(), f"a failed run left {c.out}"
    for name in c.exists:
        assert (tmp_path / name).read_bytes() == c.files[name], f"{name} was overwritten"
    leftovers = [p.name for p in tmp_path.rglob(".customer-value.*")]
    leftovers += [p.name for p in tmp_path.rglob("*.part")]
    assert not leftovers, leftovers
