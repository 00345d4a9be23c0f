"""The seed's list of call categories (`data/categories.json`) and its loader: the file is the source,
the table its copy that the admin may extend (a category added there stays when the file is loaded)."""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "categories.json"


def category_rows() -> list[dict[str, Any]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    bases = data["legal_bases"]
    rows = []
    for item in data["categories"]:
        basis = bases[item["legal_basis"]]
        rows.append(
            {
                "code": item["code"],
                "order": item["order"],
                "routing": item["routing"],
                "answer_days": item["answer_days"],
                **{f"name_{lang}": item[f"name_{lang}"] for lang in ("kk", "ru", "en")},
                **{f"legal_basis_{lang}": basis[lang] for lang in ("kk", "ru", "en")},
            }
        )
    return rows


def load_categories(model: Any) -> int:
    """Create or refresh every category of the file in `model` (the real one or a migration's)."""
    for row in category_rows():
        code = row.pop("code")
        model.objects.update_or_create(code=code, defaults=row)
    return len(category_rows())
