"""Who visits during `make loadtest` (bench/load/run.py starts Locust with this file).

Visitors: families and their doctors, weighted by what they do most: open the landing page,
search with words and filters, look near a city, page deep into the results, read trial pages,
and now and then export a list. Every value comes from the database (bench/load/data.py), so each
request is one a visitor could make. A curator meanwhile logs into the admin and saves trials
through the change form: it reads the form and posts back every field as the page holds it (with
its CSRF token and whatever hidden fields the form has), changing only the curators' own note.
It logs in once before the visitors arrive (curator_logs_in).

Every request goes as through the deployment's TLS proxy (X-Forwarded-Proto: https), so the
portal runs with its production redirects and secure cookies. A response of 400 or above, or a
form that comes back with errors, is a failure.
"""

import json
import os
import random
import re
import time

import requests
from locust import HttpUser, between, events, task

from bench.load.forms import form_fields

FACTS = json.loads(open(os.environ["LOAD_FACTS"]).read())  # noqa: SIM115 (read once at start)
PROXY = {"X-Forwarded-Proto": "https"}


def filters():
    """One to three filters of the list, with values the trials have."""
    chosen = random.sample(sorted(FACTS["filters"]), random.randint(1, 3))
    params = [(name, random.choice(FACTS["filters"][name])) for name in chosen]
    if random.random() < 0.3:
        params.append(("age", str(random.randint(1, 80))))
    return [(name, value) for name, value in params if value]


class Visitor(HttpUser):
    weight = 50
    wait_time = between(1, 3)  # reading a page before the next click

    def get(self, path, group, params=None):
        self.client.get(path, params=params, headers=PROXY, name=group)

    @task(10)
    def landing(self):
        self.get("/", "landing")

    @task(20)
    def search(self):
        words = random.choice(FACTS["words"] + FACTS["phrases"])
        params = [("q", words)] + (filters() if random.random() < 0.5 else [])
        self.get("/trials/", "search: words", params)

    @task(15)
    def filtered(self):
        self.get("/trials/", "search: filters", filters())

    @task(12)
    def near_me(self):
        params = [("near", random.choice(FACTS["cities"] + FACTS["countries"]))]
        if random.random() < 0.5:
            params.append(("radius", random.choice(["25", "50", "100", "250", "500"])))
        if random.random() < 0.3:
            params.append(("sort", "distance"))
        self.get("/trials/", "search: near a place", params)

    @task(6)
    def deep_page(self):
        page = random.randint(2, max(2, FACTS["pages"]))
        sort = random.choice(["open", "updated", "start", "enrollment"])
        self.get("/trials/", "list: a deep page", [("page", page), ("sort", sort)])

    @task(30)
    def trial_page(self):
        nct_id = random.choice(FACTS["nct_ids"])
        params = {"near": random.choice(FACTS["cities"])} if random.random() < 0.3 else None
        self.get(f"/trials/{nct_id}/", "trial page", params)

    @task(3)
    def export(self):
        file_format = random.choice(["csv", "json"])
        self.get(f"/trials/export.{file_format}", f"export: {file_format}", filters())


def headers(host, path):
    """As through the TLS proxy, and from the page itself (Django checks the Referer of a secure
    form post against the host)."""
    return {**PROXY, "Referer": f"https://{host.split('://')[1]}{path}"}


def carry(cookies, response):
    """The portal's cookies are Secure (__Host-): a client speaking plain HTTP to the server
    behind the "proxy" does not send them back by itself, so the curator carries them."""
    for past in [*response.history, response]:
        cookies.update({cookie.name: cookie.value for cookie in past.cookies})


CURATOR_COOKIES = {}


@events.test_start.add_listener
def curator_logs_in(environment, **kwargs):
    """Before the visitors come, untimed: a login hashes the password (about a second of CPU, by
    design), which on the saturated server would take most of the minute; the saves are what
    the curator is there for."""
    login = f"{FACTS['admin_url']}login/"
    page = requests.get(
        environment.host + login, headers=headers(environment.host, login), timeout=600
    )
    carry(CURATOR_COOKIES, page)
    fields = {**dict(form_fields(page.text, "login-form")), **FACTS["curator"]}
    answer = requests.post(
        environment.host + login,
        data={**fields, "next": FACTS["admin_url"]},
        headers=headers(environment.host, login),
        cookies=CURATOR_COOKIES,
        timeout=600,
    )
    carry(CURATOR_COOKIES, answer)
    if not answer.url.rstrip("/").endswith(FACTS["admin_url"].rstrip("/")):
        # Locust carries on after an error here; the curator's every request then fails.
        raise RuntimeError(f"The curator could not log in ({answer.status_code}, {answer.url}).")


class Curator(HttpUser):
    fixed_count = 1  # one curator among the visitors
    wait_time = between(2, 5)  # reading and correcting a record takes a while

    @task
    def save_a_trial(self):
        pk = random.choice(FACTS["edited_trials"])
        change = f"{FACTS['admin_url']}trials/trial/{pk}/change/"
        with self.client.get(
            change, name="admin: trial form", headers=headers(self.host, change),
            cookies=CURATOR_COOKIES, catch_response=True,
        ) as page:  # fmt: skip
            carry(CURATOR_COOKIES, page)
            if 'id="trial_form"' not in page.text:
                page.failure(f"no change form ({page.status_code}, {page.url})")
                return
        fields = [
            pair for pair in form_fields(page.text, "trial_form") if pair[0] != "curation_note"
        ]
        fields += [
            ("curation_note", f"Checked during a load test at {time.time():.0f}."),
            ("_save", "Save"),
        ]
        with self.client.post(
            change, data=fields, name="admin: save a trial", headers=headers(self.host, change),
            cookies=CURATOR_COOKIES, catch_response=True,
        ) as saved:  # fmt: skip
            carry(CURATOR_COOKIES, saved)
            if saved.status_code >= 400 or "errornote" in saved.text or not saved.history:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', saved.text, re.S)
                saved.failure(f"not saved ({saved.status_code}): {errors[:3]}")
