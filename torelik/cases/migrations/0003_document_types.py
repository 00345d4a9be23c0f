"""The general classifier of document types, in three languages."""

from django.db import migrations

# code, kk, ru, en, direction, is_judicial_act
DOCUMENT_TYPES = [
    ("claim", "Талап арыз", "Исковое заявление", "Statement of claim", "incoming", False),
    (
        "court_order_application",
        "Сот бұйрығын беру туралы арыз",
        "Заявление о вынесении судебного приказа",
        "Application for a court order",
        "incoming",
        False,
    ),
    (
        "special_proceedings_application",
        "Ерекше іс жүргізу бойынша арыз",
        "Заявление по делу особого производства",
        "Application in special proceedings",
        "incoming",
        False,
    ),
    ("response", "Талап арызға пікір", "Отзыв на исковое заявление", "Response to a claim", "incoming", False),
    ("petition", "Өтінішхат", "Ходатайство", "Petition (motion)", "incoming", False),
    ("private_complaint", "Жекеше шағым", "Частная жалоба", "Private complaint", "incoming", False),
    ("appeal", "Апелляциялық шағым", "Апелляционная жалоба", "Appeal", "incoming", False),
    (
        "cassation_petition",
        "Кассациялық өтінішхат",
        "Кассационное ходатайство",
        "Cassation petition",
        "incoming",
        False,
    ),
    (
        "newly_discovered",
        "Жаңадан ашылған мән-жайлар бойынша қайта қарау туралы арыз",
        "Заявление о пересмотре по вновь открывшимся обстоятельствам",
        "Application for review on newly discovered circumstances",
        "incoming",
        False,
    ),
    ("complaint", "Шағым", "Жалоба", "Complaint", "incoming", False),
    ("indictment", "Айыптау актісі", "Обвинительный акт", "Indictment", "incoming", False),
    (
        "offence_protocol",
        "Әкімшілік құқық бұзушылық туралы хаттама",
        "Протокол об административном правонарушении",
        "Record of an administrative offence",
        "incoming",
        False,
    ),
    ("power_of_attorney", "Сенімхат", "Доверенность", "Power of attorney", "incoming", False),
    ("evidence", "Дәлелдеме", "Доказательство", "Evidence", "incoming", False),
    (
        "identity_document",
        "Жеке басын куәландыратын құжаттың көшірмесі",
        "Копия документа, удостоверяющего личность",
        "Copy of an identity document",
        "incoming",
        False,
    ),
    (
        "fee_receipt",
        "Мемлекеттік бажды төлеу туралы түбіртек",
        "Квитанция об уплате государственной пошлины",
        "State fee receipt",
        "incoming",
        False,
    ),
    ("letter", "Хат", "Письмо", "Letter", "incoming", False),
    ("ruling", "Ұйғарым", "Определение", "Ruling", "outgoing", True),
    ("decision", "Шешім", "Решение", "Decision", "outgoing", True),
    ("sentence", "Үкім", "Приговор", "Sentence", "outgoing", True),
    ("resolution", "Қаулы", "Постановление", "Resolution", "outgoing", True),
    ("court_order", "Сот бұйрығы", "Судебный приказ", "Court order", "outgoing", True),
    ("subpoena", "Сот шақыру қағазы", "Судебная повестка", "Subpoena", "outgoing", False),
    (
        "hearing_record",
        "Сот отырысының хаттамасы",
        "Протокол судебного заседания",
        "Record of the hearing",
        "internal",
        False,
    ),
    ("outgoing_letter", "Шығыс хат", "Исходящее письмо", "Outgoing letter", "outgoing", False),
    ("other", "Өзге құжат", "Иной документ", "Other document", "incoming", False),
]


def add_types(apps, schema_editor):  # type: ignore[no-untyped-def]
    document_type = apps.get_model("cases", "DocumentType")
    for code, kk, ru, en, direction, is_act in DOCUMENT_TYPES:
        document_type.objects.update_or_create(
            code=code,
            defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "direction": direction, "is_judicial_act": is_act},
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_journal_is_append_only")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
