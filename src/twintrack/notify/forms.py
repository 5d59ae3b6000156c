from django import forms
from django.utils.translation import gettext_lazy as _

from twintrack.notify.models import NoticeSettings, Robot


class RobotForm(forms.ModelForm):
    webhook = forms.URLField(label=_("webhook URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Robot
        fields = ["org", "kind", "name", "webhook", "secret"]

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["webhook"].help_text = _("DingTalk: https://oapi.dingtalk.com/robot/send?access_token=…; "
                                             "WeCom: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")


class NoticeSettingsForm(forms.ModelForm):
    class Meta:
        model = NoticeSettings
        fields = ["days_before_deadline", "days_before_due"]
        widgets = {name: forms.NumberInput(attrs={"min": 0, "max": 31}) for name in fields}

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            if cleaned.get(name) is not None and cleaned[name] > 31:
                self.add_error(name, _("at most 31 days"))
        return cleaned
