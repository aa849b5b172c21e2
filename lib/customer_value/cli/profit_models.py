"""``customer-value profit-models``: the catalogue of profit models, or one model's card."""

from __future__ import annotations

from ..io import InputError


def run(args) -> int:
    import shutil

    from .. import profit_models as pm

    if not args.name:
        width = shutil.get_terminal_size((110, 24)).columns
        print(pm.catalogue_text(args.lang, width=width, include_appendix=args.appendix))
        return 0
    try:
        model = pm.get(args.name)
    except pm.UnknownProfitModel as err:
        raise InputError(f"{err} (`customer-value profit-models` lists them)") from None
    print(model.card(args.lang))
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
