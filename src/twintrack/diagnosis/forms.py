"""Forms of the diagnosis pages. The questionnaire is built from the framework version's rows."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from twintrack.diagnosis.models import (
    AdoptionStatus, Demonstration, DemonstrationStatus, Dimension, Framework, Question, ServiceProvider, Solution,
)
from twintrack.enterprises.models import IndustryCode, Size
from twintrack.filecheck import FileRefused, check_upload

REPORT_TYPES = ("pdf", "docx", "doc", "xlsx", "jpg", "png")


class QuestionnaireForm(forms.Form):
    """One radio group per question of a framework version, grouped by dimension."""

    def __init__(self, *args, framework: Framework, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.groups = []
        questions = (Question.objects.filter(dimension__framework=framework)
                     .select_related("dimension").prefetch_related("options")
                     .order_by("dimension__order", "order"))
        by_dimension: dict[int, list] = {}
        for question in questions:
            options = sorted(question.options.all(), key=lambda o: o.order)
            name = f"q_{question.code}"
            text = question.text_en if lang == "en" and question.text_en else question.text_zh
            help_text = question.help_en if lang == "en" and question.help_en else question.help_zh
            self.fields[name] = forms.ChoiceField(
                label=f"{question.code} {text}", help_text=help_text, widget=forms.RadioSelect,
                choices=[(o.code, o.text_en if lang == "en" and o.text_en else o.text_zh) for o in options],
                error_messages={"required": _("Choose an answer to this question.")})
            by_dimension.setdefault(question.dimension_id, []).append(name)
        for dimension in Dimension.objects.filter(framework=framework).order_by("order"):
            self.groups.append({"dimension": dimension, "name": dimension.display_name(lang),
                                "fields": [self[name] for name in by_dimension.get(dimension.id, [])]})

    def answers(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("q_")}


class DiagnosisForm(QuestionnaireForm):
    """An offline diagnosis: the questionnaire plus the provider's findings and its report."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"] = forms.DateField(
            label=_("Diagnosed on"), initial=timezone.localdate,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        self.fields["summary"] = forms.CharField(label=_("Summary"), required=False, max_length=4000,
                                                 widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["pain_points"] = forms.CharField(
            label=_("Pain points found"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("one per line"))
        self.fields["recommendations"] = forms.CharField(
            label=_("Recommendations"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("one per line"))
        self.fields["report"] = forms.FileField(
            label=_("Diagnosis report"), required=False,
            help_text=_("PDF, Word, Excel or an image, at most %(size)s MB")
            % {"size": settings.TWINTRACK_MAX_REPORT_BYTES // (1024 * 1024)})

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The diagnosis date cannot be in the future."))
        return day

    def clean_report(self):
        report = self.cleaned_data.get("report")
        if report is None:
            return None
        try:
            check_upload(report, REPORT_TYPES, settings.TWINTRACK_MAX_REPORT_BYTES)
        except FileRefused as refused:
            raise forms.ValidationError(refused.message) from None
        return report


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(label=_("Framework file (JSON)"))
    make_current = forms.BooleanField(label=_("Use this version for new assessments"), required=False,
                                      initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, ("json",), settings.TWINTRACK_MAX_UPLOAD_BYTES)
        except FileRefused as refused:
            raise forms.ValidationError(refused.message) from None
        return upload


class CoverageSettingForm(forms.Form):
    framework_key = forms.ChoiceField(label=_("Framework"))
    min_level = forms.IntegerField(label=_("Lowest level counted"), min_value=1, max_value=9)
    valid_months = forms.IntegerField(
        label=_("Assessments count for (months)"), min_value=1, max_value=120, required=False,
        help_text=_("leave empty to count an enterprise's latest assessment however old"))

    def __init__(self, *args, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_key"].choices = [
            (f.key, f.display_name(lang)) for f in Framework.objects.filter(is_current=True, is_active=True)]


class EnterpriseCodeField(forms.CharField):
    """An enterprise by its unified social credit code, among the enterprises the user sees."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Enterprise (unified social credit code)"))
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)


class EnterpriseByCode:
    """A form with an EnterpriseCodeField `uscc`, checked against `self.enterprises` (those the
    user sees, passed to __init__); the enterprise found is `self.enterprise`."""

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises

    def clean_uscc(self):
        code = self.cleaned_data["uscc"].strip().upper()
        enterprise = self.enterprises.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise you can see has this code."))
        self.enterprise = enterprise
        return code


class DemonstrationForm(EnterpriseByCode, forms.ModelForm):
    uscc = EnterpriseCodeField()

    class Meta:
        model = Demonstration
        fields = ["kind", "tier", "title_zh", "title_en", "year", "criteria", "evidence", "open_for_visits",
                  "visit_contact"]
        widgets = {"criteria": forms.Textarea(attrs={"rows": 3}), "evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["uscc"].initial = self.instance.enterprise.uscc
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise forms.ValidationError(_("Give a year between 2000 and next year."))
        return year


class DemonstrationStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DemonstrationStatus.choices)
    designated_on = forms.DateField(label=_("Designated on"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _codes(text: str) -> list[str]:
    return [c for c in text.replace("，", ",").replace(" ", ",").split(",") if c]


class SolutionForm(forms.ModelForm):
    industries_text = forms.CharField(
        label=_("Sub-industries (GB/T 4754 codes)"), required=False, max_length=500,
        help_text=_("divisions (2 digits), groups (3) or classes (4), separated by commas; empty: any manufacturing"))
    dimension_codes = forms.MultipleChoiceField(label=_("Dimensions it improves"),
                                                widget=forms.CheckboxSelectMultiple)
    size_codes = forms.MultipleChoiceField(label=_("Enterprise sizes (empty: any)"), required=False,
                                           choices=Size.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Solution
        fields = ["provider", "name_zh", "name_en", "kind", "lightweight", "price_band", "summary_zh", "summary_en",
                  "reference_customers"]
        widgets = {"summary_zh": forms.Textarea(attrs={"rows": 3}), "summary_en": forms.Textarea(attrs={"rows": 3}),
                   "reference_customers": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, provider: ServiceProvider | None, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        if provider is not None:  # a provider adds to its own catalogue only
            self.fields["provider"].queryset = ServiceProvider.objects.filter(pk=provider.pk)
            self.fields["provider"].initial = provider.pk
        else:
            self.fields["provider"].queryset = ServiceProvider.objects.filter(is_active=True)
        choices, seen = [], set()
        for dimension in (Dimension.objects.filter(framework__is_current=True, framework__is_active=True)
                          .select_related("framework").order_by("framework__key", "order")):
            if dimension.code not in seen:
                seen.add(dimension.code)
                framework = dimension.framework.display_name(lang)
                label = f"{dimension.display_name(lang)} ({framework})" if lang == "en" else \
                    f"{dimension.display_name(lang)}（{framework}）"
                choices.append((dimension.code, label))
        self.fields["dimension_codes"].choices = choices
        if self.instance.pk:
            self.fields["industries_text"].initial = ", ".join(self.instance.industries)
            self.fields["dimension_codes"].initial = self.instance.dimensions
            self.fields["size_codes"].initial = self.instance.sizes

    def clean_industries_text(self):
        codes = sorted(set(_codes(self.cleaned_data["industries_text"])))
        known = set(IndustryCode.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise forms.ValidationError(_("Not GB/T 4754 manufacturing codes: %(codes)s")
                                        % {"codes": ", ".join(unknown)})
        return codes

    def save(self, commit=True):
        solution = super().save(commit=False)
        solution.industries = self.cleaned_data["industries_text"]
        solution.dimensions = self.cleaned_data["dimension_codes"]
        solution.sizes = self.cleaned_data["size_codes"]
        return solution


class ProviderForm(forms.ModelForm):
    class Meta:
        model = ServiceProvider
        fields = ["name_zh", "name_en", "uscc", "org", "contact", "phone", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class AssignmentForm(EnterpriseByCode, forms.Form):
    uscc = EnterpriseCodeField()
    start_date = forms.DateField(label=_("From"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("Until"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class AdoptionForm(forms.Form):
    solution = forms.ModelChoiceField(label=_("Solution"), queryset=Solution.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=AdoptionStatus.choices)
    started_on = forms.DateField(label=_("Started on"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    completed_on = forms.DateField(label=_("Completed on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solution"].queryset = Solution.objects.filter(is_active=True).select_related("provider")
        self.fields["solution"].label_from_instance = lambda s: f"{s.display_name(lang)} · {s.provider.display_name(lang)}"

    def clean(self):
        data = super().clean()
        if data.get("status") == AdoptionStatus.COMPLETED and not data.get("completed_on"):
            self.add_error("completed_on", _("Give the date it was completed."))
        if data.get("status") != AdoptionStatus.COMPLETED:
            data["completed_on"] = None
        return data

