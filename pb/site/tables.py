from piccolo.columns import Date, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class SiteSettings(Table, tablename="pb_site_settings"):
    """The council's own details, in both languages: one row (`singleton` is unique and always 1)."""

    id: Serial  # added by Piccolo; declared for the type checker

    singleton = Integer(null=False, default=1, unique=True)
    council_name_en = Varchar(length=200, null=False, default="")
    council_name_cy = Varchar(length=200, null=False, default="")
    short_name_en = Varchar(length=60, null=False, default="")
    short_name_cy = Varchar(length=60, null=False, default="")
    contact_email = Varchar(length=254, null=False, default="")
    phone = Varchar(length=40, null=False, default="")
    address_en = Text(null=False, default="")
    address_cy = Text(null=False, default="")
    opening_hours_en = Varchar(length=300, null=False, default="")
    opening_hours_cy = Varchar(length=300, null=False, default="")
    accessibility_contact = Varchar(length=254, null=False, default="")
    accessibility_reviewed = Date(null=True, default=None)
    controller_en = Varchar(length=200, null=False, default="")
    controller_cy = Varchar(length=200, null=False, default="")
    dpo_contact = Varchar(length=254, null=False, default="")
    retention_en = Text(null=False, default="")
    retention_cy = Text(null=False, default="")
    updated_at = Timestamptz(default=TimestamptzNow(), null=False)
    updated_by = Integer(null=True, default=None)
