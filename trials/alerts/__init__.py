"""Following a search or a trial by email, with no account (README, "Alerts").

- searches.py: a search's query string, normalised and described, and the trials it finds;
- links.py: the signed links mailed to an address (confirm, manage, unsubscribe);
- subscriptions.py: asking to follow (the confirmation mail), confirming, unsubscribing, purging;
- digests.py: a digest per address from the changes since its follows' last one;
- outbox.py: every message is written here first, then delivered with retries;
- views.py, forms.py: the follow box, the confirm, manage and unsubscribe pages.

`manage.py send_alerts` (cron or a systemd timer) purges, builds the digests, and delivers.
Imports run: views -> subscriptions, digests -> outbox, searches -> listing -> models.
"""
