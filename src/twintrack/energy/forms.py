"""Forms of the energy pages: a new coefficient version, a year's basis, a grid factor, a baseline."""
from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from twintrack.display.language import active_lang
from twintrack.energy import conversions as cv
from twintrack.energy.models import CoefficientVersion, ElectricityBasis, GridChoice, GridFactor, YearBasis

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
COEF = dict(max_digits=14, decimal_places=6, min_value=Decimal("0.000001"))


class VersionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("e.g. GB/T 2589-2020, or the bureau's own revision"))
    effective_from = forms.DateField(label=_("Effective from"),
                                     help_text=_("lines of months starting on or after this date use the version"),
                                     widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("the standard or document, and where its table was taken from"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if CoefficientVersion.objects.filter(name=name).exists():
            raise forms.ValidationError(_("a version with this name exists"))
        return name

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if CoefficientVersion.objects.filter(effective_from=value).exists():
            raise forms.ValidationError(_("a version already takes effect on this date"))
        return value


class CarrierForm(forms.Form):
    key = forms.CharField(label=_("Key"), max_length=40, required=False)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=50, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=[(u, u) for u in cv.UNIT_MULTIPLES], required=False)
    kgce_per_unit = forms.DecimalField(label=_("kgce per unit"), required=False, **COEF)
    kgce_min = forms.DecimalField(label=_("lowest"), required=False, **COEF)
    kgce_max = forms.DecimalField(label=_("highest"), required=False, **COEF)
    kgco2_per_unit = forms.DecimalField(label=_("kg CO2 per unit"), required=False, **COEF)
    co2_source = forms.CharField(label=_("CO2 factor source"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        key = (data.get("key") or "").strip()
        if not key:
            return data  # a blank row: ignored
        if not KEY_RE.match(key):
            self.add_error("key", _("use lower-case letters, digits and _ (e.g. natural_gas_lng)"))
        if not (data.get("name_zh") or "").strip():
            self.add_error("name_zh", _("a value is required"))
        if not data.get("unit"):
            self.add_error("unit", _("a value is required"))
        fixed, low, high = data.get("kgce_per_unit"), data.get("kgce_min"), data.get("kgce_max")
        if fixed is not None and (low is not None or high is not None):
            self.add_error("kgce_per_unit", _("give either a coefficient or a range, not both"))
        elif fixed is None and (low is None or high is None):
            self.add_error("kgce_per_unit", _("give a coefficient, or the lowest and highest of a range"))
        elif fixed is None and low >= high:
            self.add_error("kgce_max", _("the highest must be above the lowest"))
        if key == cv.ELECTRICITY and fixed is None:
            self.add_error("kgce_per_unit", _("electricity needs its calorific coefficient (0.1229)"))
        if data.get("kgco2_per_unit") is not None and key != cv.ELECTRICITY and not (data.get("co2_source") or ""):
            self.add_error("co2_source", _("say where the CO2 factor comes from"))
        return data


class BaseCarrierFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        keys = [f.cleaned_data.get("key", "").strip() for f in self.forms if f.cleaned_data.get("key", "").strip()]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise forms.ValidationError(_("each carrier once: %(keys)s appear twice") % {"keys": ", ".join(duplicates)})
        if not keys:
            raise forms.ValidationError(_("a version needs at least one carrier"))


CarrierFormSet = forms.formset_factory(CarrierForm, formset=BaseCarrierFormSet, extra=2, max_num=200)


class YearBasisForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    electricity = forms.ChoiceField(label=_("Electricity"), choices=ElectricityBasis.choices,
                                    widget=forms.RadioSelect)
    coal_rate_gce_per_kwh = forms.DecimalField(
        label=_("Coal rate (gce/kWh)"), required=False, max_digits=8, decimal_places=3, min_value=Decimal(100),
        max_value=Decimal(600), help_text=_("the year's coal consumption per kWh supplied by thermal power, for "
                                            "the equal-value basis"))
    grid = forms.ChoiceField(label=_("Grid CO2 factor"), choices=GridChoice.choices, widget=forms.RadioSelect)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("electricity") == ElectricityBasis.EQUAL_VALUE and data.get("coal_rate_gce_per_kwh") is None:
            self.add_error("coal_rate_gce_per_kwh", _("the equal-value basis needs the year's coal rate"))
        if data.get("electricity") == ElectricityBasis.EQUAL_VALUE and not (data.get("source") or "").strip():
            self.add_error("source", _("say where the coal rate comes from"))
        return data

    @classmethod
    def for_year(cls, year: int):
        basis = YearBasis.objects.filter(year=year).first()
        initial = {"year": year, "electricity": "calorific", "grid": "regional"}
        if basis is not None:
            initial.update(electricity=basis.electricity, coal_rate_gce_per_kwh=basis.coal_rate_gce_per_kwh,
                           grid=basis.grid, source=basis.source)
        return cls(initial=initial)


class GridFactorForm(forms.Form):
    data_year = forms.IntegerField(label=_("Data year"), min_value=2000, max_value=2100)
    region = forms.ChoiceField(label=_("Region"), choices=lambda: [(cv.NATIONAL, _("National average"))] + [
        (key, en if active_lang() == "en" else zh) for key, (zh, en) in cv.GRID_REGIONS.items()])
    kgco2_per_kwh = forms.DecimalField(label=_("kg CO2 per kWh"), max_digits=8, decimal_places=4,
                                       min_value=Decimal("0.0001"), max_value=Decimal("2"))
    published = forms.CharField(label=_("Published"), max_length=10, required=False,
                                help_text=_("YYYY-MM or YYYY-MM-DD"))
    source = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("data_year") and data.get("region") and GridFactor.objects.filter(
                scheme="mee_nbs_average", data_year=data["data_year"], region=data["region"]).exists():
            raise forms.ValidationError(_("this year's factor for this region is already there"))
        return data


class BaselineForm(forms.Form):
    carrier = forms.ChoiceField(label=_("Carrier"))
    first_month = forms.DateField(label=_("First month"), input_formats=["%Y-%m"],
                                  widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=12)
    quantity = forms.DecimalField(label=_("Consumption"), max_digits=24, decimal_places=6, min_value=0)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False,
                           help_text=_("the carrier's unit or a multiple (万kWh, t, 万m3, GJ); empty: the carrier's"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, carriers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = list(carriers)
