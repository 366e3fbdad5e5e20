from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from .models import Contact, DrugApproval, Trial
from .vocabularies import OPEN_STATUSES

PAGE_SIZE = 20


def home(request):
    trials = Trial.objects.published()
    context = {
        "trial_count": trials.count(),
        "open_count": trials.filter(overall_status__in=OPEN_STATUSES).count(),
        "trials": trials.open_first()[:PAGE_SIZE],
    }
    return render(request, "trials/home.html", context)


def trial_list(request):
    trials = Trial.objects.published().open_first()
    page = Paginator(trials, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "trials": page.object_list}
    return render(request, "trials/trial_list.html", context)


def trial_detail(request, nct_id):
    if nct_id != nct_id.upper():
        return redirect("trials:detail", nct_id=nct_id.upper(), permanent=True)
    trial = get_object_or_404(
        Trial.objects.published().prefetch_related(
            "collaborators",
            "officials",
            "secondary_ids",
            "outcomes",
            "arms__interventions",
            "interventions",
            Prefetch("sites__contacts"),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(kind=Contact.Kind.CENTRAL),
                to_attr="central_contacts",
            ),
            Prefetch(
                "contacts",
                queryset=Contact.objects.filter(kind=Contact.Kind.SITE, site=None),
                to_attr="unplaced_site_contacts",
            ),
            "publications",
            "links",
            "timeline",
            "related_trials",
            "notes",
        ),
        nct_id=nct_id,
    )
    intervention_names = {i.name.lower() for i in trial.interventions.all()}
    context = {
        "trial": trial,
        "approvals": [
            a for a in DrugApproval.objects.all() if a.drug.lower() in intervention_names
        ],
    }
    return render(request, "trials/trial_detail.html", context)
