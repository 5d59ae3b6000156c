"""Who sees and changes diagnosis data. One Policy per model, declared by the model
(`access_policy`); everything follows the enterprises a user sees
(`visible(user, Enterprise)`): the bureau and district officers their subtree's, an
enterprise user its own, a service provider the enterprises assigned to it today.

- Frameworks, providers and the solution catalogue: every user with a role reads them;
  the bureau changes frameworks and providers; a provider changes its own solutions.
- Assessments: read with the enterprise; an enterprise user records self-assessments of
  its own enterprise, a provider offline diagnoses of an enterprise assigned to it.
- Demonstrations: designated ones are for everyone to visit; nominations stay with the
  units that see the enterprise. District officers nominate, the bureau designates.
"""
from __future__ import annotations

from django.db.models import Q

from twintrack.diagnosis.models import (
    Assessment, AssessmentKind, CoverageSetting, Demonstration, DemonstrationStatus, Framework,
    ProviderAssignment, ServiceProvider, Solution, SolutionAdoption,
)
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import Policy, is_bureau, membership_of, role_of, visible
from twintrack.orgs.models import Role

UNIT_EDITORS = (Role.BUREAU, Role.DISTRICT)


def provider_id_of(user) -> int | None:
    """The id of the service provider a provider user's membership names (None for anyone else)."""
    if role_of(user) != Role.PROVIDER:
        return None
    return getattr(membership_of(user), "provider_id", None)


def provider_of(user) -> ServiceProvider | None:
    """The service provider a provider user works for, if it is active (None for anyone else)."""
    provider_id = provider_id_of(user)
    if provider_id is None:
        return None
    return ServiceProvider.objects.filter(pk=provider_id, is_active=True).first()


def own_enterprise_id(user) -> int | None:
    if role_of(user) != Role.ENTERPRISE:
        return None
    return getattr(membership_of(user), "enterprise_id", None)


def visible_enterprises(user):
    """The active enterprises a user sees (the enterprises policy, without deleted ones)."""
    return visible(user, Enterprise).filter(is_active=True)


def can_self_assess(user, enterprise) -> bool:
    return enterprise is not None and own_enterprise_id(user) == enterprise.pk and enterprise.is_active


def can_diagnose(user, enterprise) -> bool:
    """A provider records offline diagnoses of the enterprises assigned to it (and sees only those)."""
    return (provider_of(user) is not None and enterprise is not None
            and visible_enterprises(user).filter(pk=enterprise.pk).exists())


class _ReadByRole(Policy):
    model = None

    def visible(self, user):
        if role_of(user) is None:
            return self.model.objects.none()
        return self.model.objects.filter(is_active=True)


class FrameworkPolicy(_ReadByRole):
    model = Framework

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)


class ServiceProviderPolicy(_ReadByRole):
    model = ServiceProvider

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)


class ProviderAssignmentPolicy(Policy):
    def visible(self, user):
        provider = provider_of(user)
        rows = ProviderAssignment.objects.filter(is_active=True)
        if provider is not None:
            return rows.filter(provider=provider)
        return rows.filter(enterprise__in=visible_enterprises(user))

    def can_change(self, user, obj):
        return role_of(user) in UNIT_EDITORS

    def can_create(self, user):
        return role_of(user) in UNIT_EDITORS


class AssessmentPolicy(Policy):
    def visible(self, user):
        return Assessment.objects.filter(is_active=True, enterprise__in=visible_enterprises(user))

    def can_change(self, user, obj):
        """Deleting: the bureau; the provider that recorded an offline diagnosis; the enterprise
        its own self-assessment."""
        if is_bureau(user):
            return True
        if obj.kind == AssessmentKind.OFFLINE:
            provider = provider_of(user)
            return provider is not None and obj.provider_id == provider.pk
        return own_enterprise_id(user) == obj.enterprise_id

    def can_create(self, user):
        return role_of(user) in (Role.ENTERPRISE, Role.PROVIDER)

    def can_create_here(self, user, obj):
        """A self-assessment of the user's own enterprise, an offline diagnosis of an assigned one."""
        if obj.kind == AssessmentKind.SELF:
            return can_self_assess(user, obj.enterprise)
        return can_diagnose(user, obj.enterprise)


class DemonstrationPolicy(Policy):
    def visible(self, user):
        if role_of(user) is None:
            return Demonstration.objects.none()
        return Demonstration.objects.filter(is_active=True, enterprise__is_active=True).filter(
            Q(status=DemonstrationStatus.DESIGNATED) | Q(enterprise__in=visible_enterprises(user)))

    def can_change(self, user, obj):
        if is_bureau(user):
            return True
        return (role_of(user) == Role.DISTRICT and obj.status == DemonstrationStatus.NOMINATED
                and visible_enterprises(user).filter(pk=obj.enterprise_id).exists())

    def can_approve(self, user, obj):
        """Designate (or decline) a nomination: the bureau."""
        return is_bureau(user)

    def can_create(self, user):
        return role_of(user) in UNIT_EDITORS


class SolutionPolicy(_ReadByRole):
    model = Solution

    def can_change(self, user, obj):
        if is_bureau(user):
            return True
        provider = provider_of(user)
        return provider is not None and obj.provider_id == provider.pk

    def can_create(self, user):
        return is_bureau(user) or provider_of(user) is not None


class SolutionAdoptionPolicy(Policy):
    def visible(self, user):
        return SolutionAdoption.objects.filter(is_active=True, enterprise__in=visible_enterprises(user))

    def can_change(self, user, obj):
        return self.can_create(user)

    def can_create(self, user):
        return role_of(user) in (Role.BUREAU, Role.DISTRICT, Role.ENTERPRISE, Role.PROVIDER)


class CoverageSettingPolicy(Policy):
    def visible(self, user):
        return CoverageSetting.objects.all() if is_bureau(user) else CoverageSetting.objects.none()

    def can_change(self, user, obj):
        return is_bureau(user)

    def can_create(self, user):
        return is_bureau(user)
