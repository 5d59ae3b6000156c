"""Forms of the supervision pages. Every choice list is limited to what the user may see
and what the records allow (a visit's units are its group's, a finding's enterprises are
the visited unit's). A rule about the records is the services' (`services.*_problem`): the
form shows the same sentence the service and the import kind refuse with."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import visible
from twintrack.orgs.models import OrgUnit, Role
from twintrack.programme.models import Project
from twintrack.supervision import services
from twintrack.supervision.files import ACCEPT
from twintrack.supervision.models import Finding, FindingKind, KeyTask

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 4}


def _file_note() -> str:
    return gettext("JPEG, PNG, PDF, DOCX or XLSX, at most %(size)s MB") % {
        "size": settings.TWINTRACK_MAX_ATTACHMENT_BYTES // (1024 * 1024)}


FILE_NOTE = lazy(_file_note, str)()  # in the language and with the limit of the request


def add_problem(form: forms.Form, field: str, problem: str | None) -> None:
    if problem:
        form.add_error(field, problem)


class PathOptions:
    """Options carrying their unit's tree path (data-path), so the page can narrow one list
    to the unit chosen in another (static/supervision/forms.js)."""

    path_of = staticmethod(lambda obj: obj.path)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-path"] = self.path_of(instance)
        return option


class PathSelect(PathOptions, forms.Select):
    pass


class EnterpriseCheckboxes(PathOptions, forms.CheckboxSelectMultiple):
    path_of = staticmethod(lambda obj: obj.org.path)


class ChooseLabel:
    """Select lists say "choose" in the page's language instead of Django's "---------"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("— choose —"))
        super().__init__(*args, **kwargs)


class UnitChoice(ChooseLabel, forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_zh} ({obj.code})"


class UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_zh} ({obj.code})"


class EnterpriseChoice(ChooseLabel, forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_zh} · {obj.org.name_zh}"


class EnterprisesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_zh} · {obj.org.name_zh}"


class UserChoice(ChooseLabel, forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class RoundForm(forms.Form):
    code = forms.RegexField(label=_("Code"), regex=r"^[A-Za-z0-9_-]{2,64}$", max_length=64,
                            help_text=_("e.g. 2023Q3; letters, digits, _ or -"))
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=300, required=False)
    start_date = forms.DateField(label=pgettext_lazy("supervision", "Start date"), widget=DATE)
    end_date = forms.DateField(label=_("End date"), widget=DATE, required=False)
    report_year = forms.IntegerField(label=_("Figures of year"), min_value=2000, max_value=2100, required=False)
    report_month = forms.IntegerField(label=_("through month"), min_value=1, max_value=12, required=False,
                                      help_text=_("Empty: the month before the round starts"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs=TEXT), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


def supervisors():
    User = get_user_model()
    return User.objects.filter(is_active=True, membership__role__in=[Role.SUPERVISOR, Role.BUREAU]).order_by(
        "username")


class GroupForm(forms.Form):
    name_zh = forms.CharField(label=_("Chinese name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    leader = UserChoice(label=_("Leader"), queryset=get_user_model().objects.none(), required=False)
    members = UsersChoice(label=_("Members"), queryset=get_user_model().objects.none(), required=False,
                          widget=forms.SelectMultiple(attrs={"size": 6}))
    units = UnitsChoice(label=_("Units covered"), queryset=OrgUnit.objects.none(),
                        widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = supervisors()
        self.fields["members"].queryset = supervisors()
        self.fields["units"].queryset = visible(user, OrgUnit).filter(parent__isnull=False).order_by("path")


class VisitForm(forms.Form):
    org = UnitChoice(label=_("Unit visited"), queryset=OrgUnit.objects.none(),
                     widget=PathSelect(attrs={"data-narrows": "id_enterprises"}))
    date = forms.DateField(label=_("Date"), widget=DATE)
    enterprises = EnterprisesChoice(label=_("Enterprises investigated"), queryset=Enterprise.objects.none(),
                                    required=False, widget=EnterpriseCheckboxes(attrs={"class": "check-list"}),
                                    help_text=_("Only the enterprises of the unit chosen above are listed."))
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                max_length=2000)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=5000)

    def __init__(self, group, *args, **kwargs):
        super().__init__(*args, **kwargs)
        round_ = group.round
        self.fields["date"].help_text = _("Round %(round)s runs %(start)s – %(end)s.") % {
            "round": round_.code, "start": round_.start_date.isoformat(),
            "end": round_.end_date.isoformat() if round_.end_date else "…"}
        units = list(group.units.all())
        q = Q(pk__in=[])
        for unit in units:
            q |= Q(path__startswith=unit.path)
        self.fields["org"].queryset = OrgUnit.objects.filter(q).order_by("path")
        eq = Q(pk__in=[])
        for unit in units:
            eq |= Q(org__path__startswith=unit.path)
        self.fields["enterprises"].queryset = Enterprise.objects.filter(eq).select_related("org").order_by(
            "org__code", "name_zh")

    def clean(self):
        data = super().clean()
        org = data.get("org")
        for enterprise in data.get("enterprises") or ():
            add_problem(self, "enterprises", services.enterprise_unit_problem(enterprise, org))
        return data


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    text = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs=TEXT), max_length=10000)
    enterprise = EnterpriseChoice(label=_("Enterprise (optional)"), queryset=Enterprise.objects.none(),
                                  required=False)
    project = forms.ModelChoiceField(label=_("Project (optional)"), queryset=Project.objects.none(), required=False)
    file = forms.FileField(label=_("Photo or document (optional)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text=FILE_NOTE)

    def __init__(self, visit, *args, with_file: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = Enterprise.objects.filter(org__path__startswith=visit.org.path).select_related("org")
        self.fields["enterprise"].queryset = enterprises.order_by("name_zh")
        self.fields["project"].queryset = Project.objects.filter(
            enterprise__in=visit.enterprises.all()).order_by("code")
        if not with_file:
            del self.fields["file"]

    def clean(self):
        data = super().clean()
        add_problem(self, "project", services.project_enterprise_problem(data.get("project"), data.get("enterprise")))
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text=FILE_NOTE)


class RequirementForm(forms.Form):
    org = UnitChoice(label=_("Unit addressed"), queryset=OrgUnit.objects.none(), required=False)
    enterprise = EnterpriseChoice(label=_("or enterprise addressed"), queryset=Enterprise.objects.none(),
                                  required=False)
    key_task = forms.ModelChoiceField(label=_("Key task"), queryset=KeyTask.objects.filter(active=True),
                                      empty_label=None)
    text = forms.CharField(label=_("Requirement"), widget=forms.Textarea(attrs=TEXT), max_length=10000)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False,
                            help_text=_("The person or office responsible"))
    finding = forms.ModelChoiceField(label=_("Finding it answers (optional)"), queryset=Finding.objects.none(),
                                     required=False)

    def __init__(self, units, enterprises, findings, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units
        self.fields["enterprise"].queryset = enterprises.select_related("org").order_by("name_zh")
        self.fields["finding"].queryset = findings
        self.fields["finding"].label_from_instance = lambda f: f"{f.code} {f.get_kind_display()}: {f.text[:40]}"
        self.fields["key_task"].label_from_instance = lambda t: f"{t.number}. {t.display_name(_lang())}"

    def clean(self):
        data = super().clean()
        if not data.get("org") and not data.get("enterprise"):
            self.add_error("org", _("Choose the unit or the enterprise the requirement is addressed to."))
        return data


def _lang() -> str:
    from django.utils.translation import get_language

    return get_language() or "zh-hans"


class RespondForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs=TEXT), max_length=10000)
    file = forms.FileField(label=_("Evidence (optional)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text=FILE_NOTE)


class ReviewForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=5000)
