"""HTML pages for tambon plans and province plans: thin views over visible_to querysets and the services."""

import base64
import io
import json
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from areas.models import Province
from codi_plans import uploads
from codi_plans.concurrency import EditConflict
from strategies.models import PlanNode
from strategies.selectors import plan_period_in_force

from . import forms, permissions, selectors, services
from .models import (
    FundingSource,
    PlanStatus,
    Project,
    ProjectClass,
    ProvincePlan,
    TambonPlan,
)

PAGE_SIZE = 25


# --- helpers -------------------------------------------------------------------------------------------------------


def _plans(user):
    return TambonPlan.objects.visible_to(user).select_related("tambon__district", "tambon__province")


def _get_plan(request, pk) -> TambonPlan:
    """Fetch a plan the user may see; any other plan is a 404, whether it exists or not."""
    return get_object_or_404(
        _plans(request.user).select_related("tambon__province__region", "created_by", "updated_by"), pk=pk
    )


def _page(request, queryset, count: int | None = None):
    """The requested page; `count`, when the caller knows it, spares the paginator its COUNT query."""
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _put_errors(form, exc: ValidationError) -> dict:
    """Show a service's ValidationError on the form fields it names; return the messages no field takes."""
    leftovers: dict = defaultdict(list)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            texts = [text for error in errors for text in error.messages]
            if form is not None and field in form.fields:
                for text in texts:
                    form.add_error(field, text)
            else:
                leftovers[field].extend(texts)
    else:
        leftovers[NON_FIELD_ERRORS].extend(exc.messages)
    return dict(leftovers)


SAVE_DESCRIPTIONS = {
    "profile_edited": gettext_lazy("profile, community capital or vision"),
    "problems_edited": gettext_lazy("problems"),
    "content_replaced": gettext_lazy("the whole plan, uploaded from Excel"),
    "project_saved": gettext_lazy("project %(number)s saved"),
    "project_deleted": gettext_lazy("project %(number)s deleted"),
    "status": gettext_lazy("status changed to %(status)s"),
}


def _describe_save(reason: str) -> str:
    """Say in words what a save recorded in a plan's history did (the services keep it as data, plan_event)."""
    try:
        event = json.loads(reason or "")
    except ValueError:
        return reason or ""  # a save from before events were kept as data
    if not isinstance(event, dict) or event.get("event") not in SAVE_DESCRIPTIONS:
        return ""
    details = {"number": event.get("number", "")}
    if event["event"] == "status":
        to = event.get("to")
        details["status"] = PlanStatus(to).label if to in PlanStatus.values else to
    return str(SAVE_DESCRIPTIONS[event["event"]]) % details


def _conflict_context(conflict: EditConflict) -> dict:
    """Who changed the record since the form was opened, when, and what."""
    saves = []
    history = getattr(conflict.obj, "history", None)
    if history is not None:
        for record in history.filter(revision__gt=conflict.expected_revision).select_related("history_user"):
            saves.append(
                {
                    "by": record.history_user,
                    "at": record.history_date,
                    "what": _describe_save(getattr(record, "history_change_reason", "") or ""),
                }
            )
    return {"conflict": conflict, "conflict_saves": sorted(saves, key=lambda s: s["at"])}


def _require_writer(request, plan):
    if not permissions.can_write_plan_for_tambon(request.user, plan.tambon):
        raise PermissionDenied(_("You may not change this tambon's plan."))


def _read_only_redirect(request, plan):
    messages.info(
        request,
        _("This plan is %(status)s: it is read-only until it is returned for revision.")
        % {"status": plan.get_status_display()},
    )
    return redirect("workstreams:detail", pk=plan.pk)


def _revision(request, default: int):
    """Return the bound revision form of a POST, or a fresh one at the plan's revision."""
    if request.method == "POST":
        return forms.RevisionForm(request.POST)
    return forms.RevisionForm(initial={"revision": default})


def _posted(request):
    """Return the POST data to bind a form to, even when it is empty (an unticked form is still a submission)."""
    return request.POST if request.method == "POST" else None


def _expected(revision_form):
    return revision_form.cleaned_data["revision"] if revision_form.is_valid() else None


# --- list and start ------------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    plans = selectors.with_last_transition(selectors.with_totals(_plans(request.user))).order_by(
        "tambon__code", "-period_start_be"
    )
    page, query = _page(request, plans)
    can_start = permissions.can_start_tambon_plan(request.user)
    return render(
        request,
        "workstreams/plan_list.html",
        {
            "page": page,
            "query": query,
            "own_plans": request.user.is_community_rep,
            "can_start": can_start,
            "start_form": forms.StartPlanForm(user=request.user) if can_start else None,
            "can_review": permissions.can_use_review_queue(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request):
    if not permissions.can_start_tambon_plan(request.user):
        raise PermissionDenied(_("You do not write plans for any tambon."))
    form = forms.StartPlanForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_tambon_plan(
                tambon=form.cleaned_data["tambon"],
                period_start_be=form.cleaned_data["period_start_be"],
                period_end_be=form.cleaned_data["period_end_be"],
                by=request.user,
            )
        except ValidationError as exc:
            for texts in _put_errors(form, exc).values():
                for text in texts:
                    form.add_error(None, text)
        else:
            messages.success(request, _("The plan is started. Fill in the profile first."))
            return redirect("workstreams:edit", pk=plan.pk)
    return render(request, "workstreams/plan_start.html", {"form": form})


# --- plan page -----------------------------------------------------------------------------------------------------


@login_required
def plan_detail(request, pk):
    plan = _get_plan(request, pk)
    user = request.user
    projects = list(
        plan.projects.with_chain()
        .select_related("carried_over_from__plan")
        .prefetch_related("budget_lines", "indicators")
        .order_by("number")
    )
    selectors.attach_chains(projects)
    by_year: dict = defaultdict(Decimal)
    for project in projects:
        project.budget_total = sum((b.amount for b in project.budget_lines.all()), Decimal("0"))
        for line in project.budget_lines.all():
            by_year[line.fiscal_year] += line.amount
    transitions = list(plan.transitions.select_related("by"))
    submissions = list(plan.submissions.select_related("submitted_by").defer("content"))
    awaiting = plan.status in (PlanStatus.SUBMITTED, PlanStatus.RESUBMITTED)
    return render(
        request,
        "workstreams/plan_detail.html",
        {
            "plan": plan,
            "problems": plan.problems.all(),
            "projects": projects,
            "budget_by_year": sorted(by_year.items()),
            "plan_total": sum(by_year.values(), Decimal("0")),
            "transitions": transitions,
            "last_transition": transitions[-1] if transitions else None,
            "submissions": submissions,
            "can_edit": permissions.can_edit_tambon_plan(user, plan),
            "can_submit": permissions.can_submit_tambon_plan(user, plan),
            "can_review": awaiting and permissions.can_review_tambon_plan(user, plan),
            "can_accept": awaiting and permissions.can_accept_tambon_plan(user, plan),
            "can_endorse": plan.status == PlanStatus.ACCEPTED and permissions.can_endorse_tambon_plan(user, plan),
            "own_work_note": permissions.own_work_note(user, plan),
            # Several comment boxes on one page: same field name, distinct ids.
            "submit_form": forms.CommentForm(auto_id="submit-%s"),
            "accept_form": forms.CommentForm(auto_id="accept-%s"),
            "endorse_form": forms.CommentForm(auto_id="endorse-%s"),
            "return_form": forms.ReturnForm(auto_id="return-%s"),
            "excel": excel_available(),
            "can_start_next": permissions.can_start_next_tambon_plan(user, plan),
            "links_outside_plan": selectors.links_outside_plan(plan, projects) if plan.is_editable else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_start_next(request, pk):
    previous = _get_plan(request, pk)
    if not permissions.can_start_next_tambon_plan(request.user, previous):
        raise PermissionDenied(_("You may not start the next plan of this tambon from this plan."))
    first, last = plan_period_in_force()
    if first <= previous.period_start_be:
        length = previous.period_end_be - previous.period_start_be
        first, last = previous.period_end_be + 1, previous.period_end_be + 1 + length
    form = forms.NextPlanForm(_posted(request), initial={"period_start_be": first, "period_end_be": last})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.start_next_tambon_plan(previous=previous, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for texts in _put_errors(form, exc).values():
                for text in texts:
                    form.add_error(None, text)
        else:
            messages.success(
                request,
                _("The next plan is started: %(carried)s projects carried over, %(finished)s finished ones not.")
                % {"carried": len(report.carried_over), "finished": len(report.finished)},
            )
            return redirect("workstreams:detail", pk=report.plan.pk)
    return render(request, "workstreams/plan_start_next.html", {"form": form, "previous": previous})


# --- workflow ------------------------------------------------------------------------------------------------------

ACTIONS = {
    "submit": {
        "service": lambda plan, by, text: services.submit_tambon_plan(plan=plan, by=by, comment=text),
        "allowed": lambda user, plan: permissions.can_write_plan_for_tambon(user, plan.tambon),
        "form": forms.CommentForm,
        "done": gettext_lazy("The plan is submitted to the provincial coordinator."),
    },
    "return": {
        "service": lambda plan, by, text: services.return_tambon_plan(plan=plan, by=by, reason=text),
        "allowed": permissions.can_review_tambon_plan,
        "form": forms.ReturnForm,
        "done": gettext_lazy("The plan is returned to its writers with your reason."),
    },
    "accept": {
        "service": lambda plan, by, text: services.accept_tambon_plan(plan=plan, by=by, comment=text),
        "allowed": permissions.can_accept_tambon_plan,
        "check": permissions.check_accept_tambon_plan,
        "form": forms.CommentForm,
        "done": gettext_lazy("The plan is accepted into the province plan."),
    },
    "endorse": {
        "service": lambda plan, by, text: services.endorse_tambon_plan(plan=plan, by=by, comment=text),
        "allowed": permissions.can_endorse_tambon_plan,
        "check": permissions.check_endorse_tambon_plan,
        "form": forms.CommentForm,
        "done": gettext_lazy("The plan is endorsed."),
    },
}
ACTION_TITLES = {
    "submit": gettext_lazy("Submit the plan"),
    "return": gettext_lazy("Return the plan for revision"),
    "accept": gettext_lazy("Accept the plan"),
    "endorse": gettext_lazy("Endorse the plan"),
}


@login_required
@require_http_methods(["GET", "POST"])
def plan_transition(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    plan = _get_plan(request, pk)
    spec = ACTIONS[action]
    if "check" in spec:
        spec["check"](request.user, plan)  # says why, e.g. that no one decides on their own work
    if not spec["allowed"](request.user, plan):
        raise PermissionDenied(_("You may not do this to this plan."))
    form = spec["form"](_posted(request))
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            spec["service"](plan, request.user, form.cleaned_data["comment"])
        except ValidationError as exc:
            for texts in _put_errors(form, exc).values():
                errors.extend(texts)
        else:
            messages.success(request, spec["done"])
            return redirect("workstreams:detail", pk=plan.pk)
    return render(
        request,
        "workstreams/plan_transition.html",
        {"plan": plan, "form": form, "action": action, "title": ACTION_TITLES[action], "errors": errors},
    )


# --- submissions ---------------------------------------------------------------------------------------------------


def _plain_lines(value, names) -> list[str]:
    """Render a snapshot value (text, list of titles, budget lines, indicators) as lines of text."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, list):
        lines = []
        for i, item in enumerate(value, start=1):
            if isinstance(item, dict) and "amount" in item:
                source = (
                    FundingSource(item["source"]).label if item["source"] in FundingSource.values else item["source"]
                )
                lines.append(f"{item['fiscal_year']} · {source} · {Decimal(item['amount']):,.2f}")
            elif isinstance(item, dict) and "target_value" in item:
                baseline = f" ({_('baseline')} {item['baseline']})" if item.get("baseline") not in (None, "") else ""
                lines.append(
                    f"{item['name']}: {item['target_value']} {item['unit']} ({item['target_year_be']}){baseline}"
                )
            else:
                lines.append(f"{i}. {item}")
        return lines
    if isinstance(value, str) and value in names:
        return [names[value]]
    return [str(value)]


def _describe_changes(changes) -> list[dict]:
    codes = set()
    for change in changes:
        for side in ("old", "new"):
            if isinstance(change[side], str):
                codes.add(change[side])
    names = {n.code: f"{n.code} {n.name}" for n in PlanNode.objects.filter(code__in=codes)}
    names.update({value: str(label) for value, label in ProjectClass.choices})
    rows = []
    for change in changes:
        section, item = change["section"], change["item"]
        if section == "profile":
            label, section_label = str(TambonPlan._meta.get_field(item).verbose_name), _("Profile")
        elif section == "problems":
            label, section_label = _("ranking"), _("Problems")
        else:
            section_label = _("Projects")
            number, _dot, key = str(item).partition(".")
            if not key:
                label = _("Project %(number)s added or removed") % {"number": number}
            else:
                field = {"budget": _("budget"), "indicators": _("indicators")}.get(key)
                if field is None:
                    try:
                        field = str(Project._meta.get_field(key).verbose_name)
                    except Exception:  # noqa: BLE001 - a key from an older snapshot shape
                        field = key
                label = _("Project %(number)s: %(field)s") % {"number": number, "field": field}
        rows.append(
            {
                "section": section_label,
                "label": label,
                "old": _plain_lines(change["old"], names),
                "new": _plain_lines(change["new"], names),
            }
        )
    return rows


@login_required
def plan_compare(request, pk):
    plan = _get_plan(request, pk)
    submissions = list(plan.submissions.select_related("submitted_by").order_by("number"))
    by_number = {s.number: s for s in submissions}
    context = {"plan": plan, "submissions": submissions}
    if len(submissions) >= 2:
        try:
            a = int(request.GET.get("a", submissions[-2].number))
            b = int(request.GET.get("b", submissions[-1].number))
        except ValueError as exc:
            raise Http404 from exc
        if a not in by_number or b not in by_number:
            raise Http404
        older, newer = by_number[a], by_number[b]
        context.update(
            {
                "older": older,
                "newer": newer,
                "changes": _describe_changes(selectors.diff_snapshots(older.content, newer.content)),
            }
        )
    return render(request, "workstreams/plan_compare.html", context)


# --- editing -------------------------------------------------------------------------------------------------------


def _save_plan_page(request, plan, expected, form, problems, projects) -> list[str]:
    """Save what changed on the plan page (services.save_plan_page); return what was saved, for people."""
    changed = projects.changed()
    try:
        saved = services.save_plan_page(
            plan=plan,
            by=request.user,
            expected_revision=expected,
            profile=form.service_fields() if form.has_changed() else None,
            problems=problems.ranked_problems() if problems is not None and problems.has_changed() else None,
            new_projects=[
                services.NewProject(item.form.service_data(), item.budget.lines(), item.indicators.indicators())
                for item in changed
            ],
        )
    except services.ProjectRefused as refused:
        refused.item = changed[refused.index]
        raise
    names = {"profile": _("profile"), "problems": _("problems")}
    return [names.get(part) or _("project %(number)s") % {"number": part} for part in saved]


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    """The plan page a representative writes on: profile, problems and new projects in folding sections, saved
    at once (without JavaScript too: a blank project is offered, and a save offers another)."""
    plan = _get_plan(request, pk)
    _require_writer(request, plan)
    if request.method == "GET" and not plan.is_editable:
        return _read_only_redirect(request, plan)
    data = _posted(request)
    form = forms.PlanProfileForm(data, instance=plan)
    initial = [{"rank": p.rank, "title": p.title, "description": p.description} for p in plan.problems.all()]
    # A post from before the page carried problems and projects only changes the profile.
    problems_posted = data is None or "problems-TOTAL_FORMS" in data
    problems = forms.ProblemFormSet(data if problems_posted else None, initial=initial, prefix="problems")
    projects = forms.NewProjects(data, plan=plan)
    revision = _revision(request, plan.revision)
    context = {"plan": plan}
    valid = form.is_valid() and (not problems_posted or problems.is_valid()) and projects.is_valid()
    if request.method == "POST" and valid:
        try:
            saved = _save_plan_page(
                request, plan, _expected(revision), form, problems if problems_posted else None, projects
            )
        except EditConflict as conflict:
            context.update(_conflict_context(conflict))
            revision = forms.RevisionForm(initial={"revision": conflict.current_revision})
        except services.ProjectRefused as refused:
            leftovers = _put_errors(refused.item.form, refused.error)
            for name in ("workstream", "goal", "programme"):  # one drop-down, "place", chose all three
                for text in leftovers.pop(name, []):
                    refused.item.form.add_error("place", text)
            refused.item.budget_errors = leftovers.pop("budget_lines", [])
            refused.item.indicator_errors = leftovers.pop("indicators", [])
            context["errors"] = leftovers
        except ValidationError as exc:
            context["errors"] = _put_errors(form, exc)
        else:
            if saved:
                messages.success(request, _("Saved: %(what)s.") % {"what": ", ".join(str(s) for s in saved)})
            else:
                messages.info(request, _("Nothing was changed."))
            if request.POST.get("then") == "more":
                return redirect(reverse("workstreams:edit", args=[plan.pk]) + "#new-projects")
            return redirect("workstreams:detail", pk=plan.pk)
    context.update(
        {
            "form": form,
            "problems": problems,
            "projects": projects,
            "revision_form": revision,
            "project_count": plan.projects.count(),
            # Sections already filled in fold away; a new plan opens them all.
            "profile_done": bool(plan.households or plan.vision),
        }
    )
    return render(request, "workstreams/plan_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def problems_edit(request, pk):
    plan = _get_plan(request, pk)
    _require_writer(request, plan)
    if request.method == "GET" and not plan.is_editable:
        return _read_only_redirect(request, plan)
    initial = [{"rank": p.rank, "title": p.title, "description": p.description} for p in plan.problems.all()]
    formset = forms.ProblemFormSet(_posted(request), initial=initial, prefix="problems")
    revision = _revision(request, plan.revision)
    context = {"plan": plan}
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_problems(
                plan=plan, by=request.user, expected_revision=_expected(revision), problems=formset.ranked_problems()
            )
        except EditConflict as conflict:
            context.update(_conflict_context(conflict))
            revision = forms.RevisionForm(initial={"revision": conflict.current_revision})
        except ValidationError as exc:
            context["errors"] = _put_errors(None, exc)
        else:
            messages.success(request, _("Problems saved."))
            return redirect(reverse("workstreams:detail", args=[plan.pk]) + "#problems")
    context.update({"formset": formset, "revision_form": revision})
    return render(request, "workstreams/problems_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk, number=None):
    plan = _get_plan(request, pk)
    _require_writer(request, plan)
    if request.method == "GET" and not plan.is_editable:
        return _read_only_redirect(request, plan)
    project = None
    budget_initial, indicator_initial = [], []
    if number is not None:
        project = get_object_or_404(plan.projects.prefetch_related("budget_lines", "indicators"), number=number)
        budget_initial = [
            {"fiscal_year": b.fiscal_year, "source": b.source, "amount": b.amount} for b in project.budget_lines.all()
        ]
        indicator_initial = [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": i.baseline,
                "target_value": i.target_value,
                "target_year_be": i.target_year_be,
            }
            for i in project.indicators.all()
        ]
    data = _posted(request)
    years = list(plan.fiscal_years)
    form = forms.ProjectForm(data, instance=project, fiscal_year=plan.period_start_be)
    budget = forms.BudgetLines(data, prefix="budget", initial=budget_initial, years=years)
    indicators = forms.Indicators(data, prefix="indicators", initial=indicator_initial, years=years)
    revision = _revision(request, plan.revision)
    context = {"plan": plan, "project": project}
    if request.method == "POST" and all([form.is_valid(), budget.is_valid(), indicators.is_valid()]):
        try:
            saved = services.save_project(
                plan=plan,
                by=request.user,
                expected_revision=_expected(revision),
                data=form.service_data(),
                budget_lines=budget.lines(),
                indicators=indicators.indicators(),
                project=project,
            )
        except EditConflict as conflict:
            context.update(_conflict_context(conflict))
            revision = forms.RevisionForm(initial={"revision": conflict.current_revision})
        except ValidationError as exc:
            leftovers = _put_errors(form, exc)
            context["budget_errors"] = leftovers.pop("budget_lines", [])
            context["indicator_errors"] = leftovers.pop("indicators", [])
            context["errors"] = leftovers
        else:
            messages.success(request, _("Project %(number)s saved.") % {"number": saved.number})
            return redirect(reverse("workstreams:detail", args=[plan.pk]) + f"#project-{saved.number}")
    context.update({"form": form, "budget": budget, "indicators": indicators, "revision_form": revision})
    return render(request, "workstreams/project_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request, pk, number):
    plan = _get_plan(request, pk)
    _require_writer(request, plan)
    project = get_object_or_404(plan.projects.all(), number=number)
    if request.method == "GET" and not plan.is_editable:
        return _read_only_redirect(request, plan)
    revision = _revision(request, plan.revision)
    context = {"plan": plan, "project": project}
    if request.method == "POST":
        try:
            services.delete_project(project=project, by=request.user, expected_revision=_expected(revision))
        except EditConflict as conflict:
            context.update(_conflict_context(conflict))
            revision = forms.RevisionForm(initial={"revision": conflict.current_revision})
        except ValidationError as exc:
            context["errors"] = _put_errors(None, exc)
        else:
            messages.success(request, _("Project %(number)s deleted.") % {"number": number})
            return redirect("workstreams:detail", pk=plan.pk)
    context["revision_form"] = revision
    return render(request, "workstreams/project_delete.html", context)


# --- review queue --------------------------------------------------------------------------------------------------


@login_required
def review_queue(request):
    if not permissions.can_use_review_queue(request.user):
        raise PermissionDenied(_("The review queue is for coordinators and CODI staff."))
    form = forms.ReviewFilterForm(request.GET or None, user=request.user)
    plans = TambonPlan.objects.visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["province"]:
            plans = plans.filter(tambon__province=form.cleaned_data["province"])
        if form.cleaned_data["district"]:
            plans = plans.filter(tambon__district=form.cleaned_data["district"])
        if form.cleaned_data["workstream"]:
            plans = plans.filter(
                Exists(Project.objects.filter(plan=OuterRef("pk"), workstream=form.cleaned_data["workstream"]))
            )
    counts = selectors.status_counts(plans)
    status_counts = [(value, label, counts[value]) for value, label in PlanStatus.choices]
    statuses = form.status_values()
    if statuses is not None:
        plans = plans.filter(status__in=statuses)
    # The counts already say how many plans the filters keep: the paginator need not count them again.
    total = sum(n for value, n in counts.items() if statuses is None or value in statuses)
    page, query = _page(request, selectors.review_queue(plans), count=total)
    user = request.user
    if user.is_provincial_coordinator:
        # Their province is among the filter's options already read: keep it on the user (the heading names it).
        user.province = form.fields["province"].option(user.province_id) or user.province
    province = form.cleaned_data.get("province") if form.is_valid() else None
    if province is None and user.is_provincial_coordinator:
        province = user.province
    return render(
        request,
        "workstreams/review_queue.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "status_counts": status_counts,
            "awaiting_count": selectors.awaiting_count(counts),
            "province": province,
        },
    )


# --- province plan -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def province_plan_in_force(request, code):
    """Open a province's plan for the period in force (the link every page gives)."""
    province = get_object_or_404(Province.objects.in_scope_of(request.user), code=code)
    return redirect("workstreams:province", code=province.code, start=plan_period_in_force()[0])


@login_required
@require_http_methods(["GET", "POST"])
def province_plan(request, code, start):
    province = get_object_or_404(Province.objects.in_scope_of(request.user).select_related("region"), code=code)
    if not 2500 <= start <= 2700:
        raise Http404
    user = request.user
    # Only the people who write it open (and so create) the province plan; others read what is there.
    can_edit = permissions.can_edit_province_plan(user, ProvincePlan(province=province))
    if can_edit:
        plan = services.get_or_create_province_plan(
            province=province, period_start_be=start, period_end_be=selectors.period_ending(start), by=user
        )
    else:
        plan = ProvincePlan.objects.visible_to(user).filter(province=province, period_start_be=start).first()
        plan = plan or ProvincePlan(
            province=province, period_start_be=start, period_end_be=selectors.period_ending(start)
        )
    context = {
        "province": province,
        "plan": plan,
        "can_edit": can_edit,
        "periods": selectors.province_plan_periods(province, user),
    }
    form = forms.ProvincePlanForm(
        _posted(request), initial={"narrative": plan.narrative, "priorities": plan.priorities}
    )
    revision = _revision(request, plan.revision)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may not change this province's plan."))
        if form.is_valid():
            try:
                services.update_province_plan(
                    plan=plan, by=user, expected_revision=_expected(revision), **form.cleaned_data
                )
            except EditConflict as conflict:
                context.update(_conflict_context(conflict))
                revision = forms.RevisionForm(initial={"revision": conflict.current_revision})
            except ValidationError as exc:
                context["errors"] = _put_errors(form, exc)
            else:
                messages.success(request, _("Narrative and priorities saved."))
                return redirect("workstreams:province", code=code, start=start)
    tambon_plans = selectors.with_totals(
        TambonPlan.objects.visible_to(user)
        .filter(tambon__province=province, period_start_be=start)
        .consolidated()
        .select_related("tambon__district")
    ).order_by("tambon__district__code", "tambon__code")
    context.update(
        {
            "form": form,
            "revision_form": revision,
            "totals": selectors.province_totals(plan),
            "tambon_plans": tambon_plans,
            "consolidated_count": TambonPlan.objects.filter(tambon__province=province, period_start_be=start)
            .consolidated()
            .count(),
            "awaiting_count": TambonPlan.objects.filter(tambon__province=province, period_start_be=start)
            .awaiting_review()
            .count(),
        }
    )
    return render(request, "workstreams/province_plan.html", context)


# --- Excel ---------------------------------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_SESSION_KEY = "workstreams-upload-%s"


def excel_available() -> bool:
    """Return whether the Excel round trip (workstreams/excel/) is installed."""
    try:
        from . import excel
    except ImportError:
        return False
    return hasattr(excel, "export_plan") and hasattr(excel, "import_plan")


def _excel():
    if not excel_available():
        raise Http404
    from . import excel

    return excel


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_export(request, pk):
    plan = _get_plan(request, pk)
    content = _excel().export_plan(plan)
    return _xlsx_response(content, f"tambon-plan-{plan.tambon.code}-{plan.period_start_be}.xlsx")


@login_required
def plan_template(request):
    return _xlsx_response(_excel().export_plan(None), "tambon-plan-template.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request, pk):
    """Upload a workbook in two steps: a dry run listing every error, then a confirmed save of the same bytes."""
    excel = _excel()
    plan = _get_plan(request, pk)
    _require_writer(request, plan)
    if request.method == "GET" and not plan.is_editable:
        return _read_only_redirect(request, plan)
    # The bytes stay on the server between the check and the save; the browser only says "save it".
    key = UPLOAD_SESSION_KEY % plan.pk
    confirming = request.method == "POST" and request.POST.get("step") == "confirm"
    checking = request.method == "POST" and not confirming
    form = forms.UploadForm(request.POST, request.FILES) if checking else forms.UploadForm()
    context = {"plan": plan, "form": form, "max_mb": settings.UPLOAD_MAX_BYTES // uploads.MB}
    if confirming:
        stored = request.session.get(key)
        if not stored:
            messages.error(request, _("The checked file is no longer here; upload it again."))
            return redirect("workstreams:import", pk=plan.pk)
        try:
            if plan.revision != stored["revision"]:
                # Someone saved after the check: saving the file now would overwrite them silently.
                raise EditConflict(obj=plan, expected_revision=stored["revision"])
            result = excel.import_plan(
                file=io.BytesIO(base64.b64decode(stored["data"])), plan=plan, by=request.user, dry_run=False
            )
        except EditConflict as conflict:
            request.session.pop(key, None)
            context.update(_conflict_context(conflict))
            return render(request, "workstreams/plan_import.html", context)
        except ValidationError as exc:
            request.session.pop(key, None)
            context["file_errors"] = exc.messages
            return render(request, "workstreams/plan_import.html", context)
        if result.saved:
            request.session.pop(key, None)
            messages.success(request, _("The workbook is saved into the plan."))
            return redirect("workstreams:detail", pk=plan.pk)
        context.update({"result": result, "filename": stored["name"]})
        return render(request, "workstreams/plan_import.html", context)
    if checking and form.is_valid():
        upload = form.cleaned_data["file"]
        request.session.pop(key, None)
        try:
            result = excel.import_plan(file=upload, plan=plan, by=request.user, dry_run=True)
        except EditConflict as conflict:
            context.update(_conflict_context(conflict))
        except ValidationError as exc:
            context["file_errors"] = exc.messages
        else:
            context.update({"result": result, "filename": upload.name})
            if not result.errors:
                # The importer has checked the size and the zip; keep exactly these bytes for the save.
                upload.seek(0)
                data = upload.read()
                request.session[key] = {
                    "data": base64.b64encode(data).decode("ascii"),
                    "name": upload.name,
                    "revision": plan.revision,
                }
    return render(request, "workstreams/plan_import.html", context)
