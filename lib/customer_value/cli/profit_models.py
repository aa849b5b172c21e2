"""``customer-value profit-models``: the catalogue of profit models."""

from __future__ import annotations

from ..io import InputError


def run(args) -> int:
    import shutil
    import unicodedata

    from .. import profit_models as pm

    if args.name:
        try:
            model = pm.get(args.name)
        except pm.UnknownProfitModel as err:
            raise InputError(f"{err} (`customer-value profit-models` lists them)") from None
        print(model.card(args.lang))
        return 0

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def pad(text: str, n: int) -> str:
        return text + " " * max(n - width(text), 0)

    def one_line(text: str, n: int) -> str:
        first = text.replace("；", "; ").split("; ")[0].rstrip("。.") + (
            "。" if args.lang == "zh" else ""
        )
        if width(first) <= n:
            return first
        out = ""
        for ch in first:
            if width(out + ch) > n - 1:
                break
            out += ch
        if args.lang == "en" and " " in out:
            out = out[: out.rfind(" ")].rstrip(",;:")
        return out + "…"

    cat = pm.catalogue(lang=args.lang, include_appendix=args.appendix)
    other = "name_zh" if args.lang == "en" else "name_en"
    w_name = max(width(s) for s in cat["name"]) + 2
    w_other = max(width(s) for s in cat[other]) + 2
    room = max(shutil.get_terminal_size((110, 24)).columns - 4 - w_name - w_other, 30)
    if args.lang == "en":
        print("Slywotzky's profit models (Slywotzky & Morrison 1997, The Profit Zone)")
        header = ("#", "model", "中文", "mechanism")
        hint = "customer-value profit-models NAME shows a model's card (NAME: number, English or Chinese name)"
    else:
        print("22种利润模型（Slywotzky & Morrison 1997, The Profit Zone）")
        header = ("#", "模型", "English", "机制")
        hint = "customer-value profit-models --lang zh NAME 显示某个模型的卡片（NAME：编号、中文或英文名称）"
    print(f"{header[0]:>2}  {pad(header[1], w_name)}{pad(header[2], w_other)}{header[3]}")
    for row in cat.itertuples(index=False):
        print(
            f"{row.number:>2}  {pad(row.name, w_name)}{pad(getattr(row, other), w_other)}"
            f"{one_line(row.mechanism, room)}"
        )
    print(f"\n{hint}")
    return 0


def add_parser(sub) -> None:
    pmod = sub.add_parser(
        "profit-models",
        help="the 22 profit models (22种利润模型): catalogue or one model's card",
        description="Without NAME: list Slywotzky's 22 profit models (number, name, Chinese name, "
        "mechanism in one line). With NAME (a number, an English or a Chinese name, "
        "e.g. 21, 'experience curve', 经验曲线模型): print the model's card with "
        "every catalogue field and the library function that computes it. Source: "
        "Slywotzky & Morrison (1997), The Profit Zone.",
    )
    pmod.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="model number (1-22, 23 = digital profit), English or Chinese name",
    )
    pmod.add_argument(
        "--lang",
        choices=["en", "zh"],
        default="en",
        help="language of names and texts (default: en)",
    )
    pmod.add_argument(
        "--appendix",
        action="store_true",
        help="list also model 23, digital profit (Slywotzky 2002)",
    )
    pmod.set_defaults(func=run)
