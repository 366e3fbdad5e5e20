"""Driving admin pages as a browser would: read a page's form, change some fields, post it."""

from html.parser import HTMLParser

from django.urls import reverse


class FormReader(HTMLParser):
    """The values a browser would send for the form with this id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None  # (name, multiple, options, chosen)
        self.textarea = None  # (name, text)

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = (attrs["name"], "multiple" in attrs, [], [])
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[2].append(value)
            if "selected" in attrs:
                self.select[3].append(value)
        elif tag == "textarea":
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple, options, chosen = self.select
            if not chosen and options and not multiple:
                chosen = options[:1]  # a browser sends the first option
            for value in chosen:
                self.add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, parts = self.textarea
            text = "".join(parts)
            self.add(name, text[1:] if text.startswith("\n") else text)  # HTML drops that one
            self.textarea = None


def form_data(response, form_id):
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    # Browsers send every line end as CRLF.
    return {
        name: [value.replace("\r\n", "\n").replace("\n", "\r\n") for value in values]
        for name, values in reader.data.items()
    }


def change_url(obj):
    return reverse(f"admin:trials_{obj._meta.model_name}_change", args=[obj.pk])


def post_change_form(client, obj, changes=None, *, follow=False):
    """Open obj's admin page, set `changes` (name -> value or list of values), save it."""
    url = change_url(obj)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page, f"{obj._meta.model_name}_form")
    for name, value in (changes or {}).items():
        data[name] = value if isinstance(value, list) else [value]
    data["_continue"] = ["Save and continue editing"]
    return client.post(url, data, follow=follow)


def inline_prefix(page, prefix, label):
    """The form prefix ("sites-3") of the inline row whose id field holds the row with `label`
    in its text inputs."""
    data = form_data(page, page.context["opts"].model_name + "_form")
    count = int(data[f"{prefix}-TOTAL_FORMS"][0])
    for index in range(count):
        values = [
            v for name, vs in data.items() if name.startswith(f"{prefix}-{index}-") for v in vs
        ]
        if label in values:
            return f"{prefix}-{index}"
    raise AssertionError(f"no {prefix} row with {label!r}")


def errors_of(response):
    """The error messages an admin form shows, as one text."""
    text = []
    context = response.context
    if context and "adminform" in context:
        form = context["adminform"].form
        text += [str(e) for errors in form.errors.values() for e in errors]
        for formset in context.get("inline_admin_formsets", []):
            for errors in formset.formset.errors:
                text += [str(e) for field_errors in errors.values() for e in field_errors]
            text += [str(e) for e in formset.formset.non_form_errors()]
    return " ".join(text)
