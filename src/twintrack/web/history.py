"""Every record's history page: who, when, what changed (django-simple-history rows).

A model appears here once registered with `register_history(key, Model)` (other apps add
theirs); the page is `/history/<key>/<pk>/` and uses the model's access Policy, so a
record a user may not see has no history for them either (404).
"""
from __future__ import annotations

from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HISTORY_MODELS: dict[str, type] = {}
KIND_LABELS: dict[str, object] = {}
HIDDEN_FIELDS = {"id", "path", "depth"}


def register_history(key: str, model: type, label=None) -> None:
    HISTORY_MODELS[key] = model
    KIND_LABELS[key] = label or model._meta.verbose_name


def register_defaults() -> None:
    from twintrack.approvals.models import MonthApproval
    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs.models import Membership, OrgUnit
    from twintrack.programme.models import Progress, Project, Target

    register_history("orgunit", OrgUnit)
    register_history("enterprise", Enterprise)
    register_history("project", Project)
    register_history("progress", Progress)
    register_history("target", Target, gettext_lazy("target"))
    register_history("approval", MonthApproval)
    register_history("account", Membership, gettext_lazy("account"))


def key_of(obj) -> str | None:
    for key, model in HISTORY_MODELS.items():
        if type(obj) is model:
            return key
    return None


ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


def _display(field: models.Field | None, value, cache: dict) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.name == "metric":  # a target's metric key: its name
        from twintrack.display.language import active_lang
        from twintrack.display.labels import metric_label

        return metric_label(value, active_lang())
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.ForeignKey):
        key = (field.related_model, value)
        if key not in cache:
            related = field.related_model._default_manager.filter(pk=value).first()
            cache[key] = str(related) if related is not None else f"#{value}"
        return cache[key]
    if isinstance(field, models.DateTimeField):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
    return str(value)


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


# Fields whose model gives no label of its own (Django then uses the bare field name).
FIELD_LABELS = {"year": gettext_lazy("year"), "month": gettext_lazy("month"), "project": gettext_lazy("project"),
                "org": gettext_lazy("org unit"), "user": gettext_lazy("user"), "enterprise": gettext_lazy("enterprise")}


def _label(model, name: str) -> str:
    field = _field(model, name)
    if field is None:
        return name
    label = str(field.verbose_name)
    if label == name.replace("_", " ") and name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    return label


# Reasons the programs write (the demo, init, the pages), shown in the reader's language; a reason
# a person typed is shown as typed.
SYSTEM_REASONS = {"demo data": gettext_lazy("demo data"), "twintrack init": gettext_lazy("reference data loaded"),
                  "reference data loaded": gettext_lazy("reference data loaded"),
                  "moved with parent": gettext_lazy("moved with the unit above"),
                  "restored": gettext_lazy("restored"), "language": gettext_lazy("language changed"),
                  "submitted": gettext_lazy("submitted for approval"), "approved": gettext_lazy("approved")}
REASON_PREFIXES = (("web form new project ", gettext_lazy("new project on the form:")),
                   ("web form new enterprise ", gettext_lazy("new enterprise on the form:")),
                   ("web form ", gettext_lazy("entered on the form:")),
                   ("web targets ", gettext_lazy("targets set on the page:")),
                   ("web upload ", gettext_lazy("uploaded file:")),
                   ("version ", gettext_lazy("coefficient version:")))


def reason_label(reason: str) -> str:
    if reason in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[reason])
    for prefix, label in REASON_PREFIXES:
        if reason.startswith(prefix):
            rest = reason[len(prefix):]
            if prefix == "web upload ":
                from twintrack.web.views_monthly import kind_label

                kind, _space, name = rest.partition(" ")
                rest = f"{kind_label(kind)} {name}"
            return f"{label} {rest}"
    return reason


def record_title(obj) -> str:
    """What the history page calls a record, in the reader's language (a model's str() is for logs)."""
    from twintrack.approvals.models import MonthApproval
    from twintrack.display.language import active_lang
    from twintrack.display.labels import metric_label
    from twintrack.orgs.models import Membership
    from twintrack.programme.models import Progress, Target

    lang = active_lang()
    if isinstance(obj, Target):
        return f"{obj.org.display_name(lang)} {metric_label(obj.metric, lang)} {obj.year}-{obj.through_month:02d}"
    if isinstance(obj, MonthApproval):
        return f"{obj.org.display_name(lang)} {obj.period} {obj.get_state_display()}"
    if isinstance(obj, Membership):
        return f"{obj.user.get_username()} {obj.get_role_display()}"
    if isinstance(obj, Progress):
        return f"{obj.project.code} {obj.period}"
    return str(obj)


def history_entries(obj) -> list[dict]:
    """Newest first: one entry per history row with its changes field by field."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    tracked = [f.name for f in model._meta.concrete_fields
               if f.name not in HIDDEN_FIELDS and f.attname not in HIDDEN_FIELDS]
    cache: dict = {}
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is None:
            for name in tracked:
                value = getattr(record, _field(model, name).attname, None)
                if value not in (None, ""):
                    changes.append({"field": _label(model, name), "old": "—",
                                    "new": _display(_field(model, name), value, cache)})
        else:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field = _field(model, change.field)
                changes.append({"field": _label(model, change.field), "old": _display(field, change.old, cache),
                                "new": _display(field, change.new, cache)})
        user = record.history_user
        entries.append({
            "when": record.history_date,
            "who": (user.get_full_name() or user.get_username()) if user is not None else _("system"),
            "action": ACTIONS.get(record.history_type, record.history_type),
            "reason": reason_label(record.history_change_reason or ""),
            "changes": changes,
        })
        previous = record
    entries.reverse()
    return entries


def removed_months(project) -> list[dict]:
    """A project's removed months of progress, newest first: the history's '-' rows keep who
    removed them, when, why and the figures they held."""
    from twintrack.programme.models import Progress

    rows = (Progress.history.filter(project_id=project.pk, history_type="-")
            .select_related("history_user").order_by("-history_date", "-history_id"))
    return [{"period": f"{r.year:04d}-{r.month:02d}", "when": r.history_date,
             "who": (r.history_user.get_full_name() or r.history_user.get_username()) if r.history_user else _("system"),
             "reason": reason_label(r.history_change_reason or ""), "investment_yuan": r.investment_yuan,
             "energy_saved_tce": r.energy_saved_tce, "note": r.note} for r in rows]
