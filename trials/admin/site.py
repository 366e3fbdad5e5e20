"""The admin site's frame for curators, and what every history-keeping admin shares."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.security import LoginForm

from .forms import TEXT_FIELDS

admin.site.site_header = "Blinatumomab trials: curators' workspace"
admin.site.site_title = "Curators' workspace"
admin.site.index_title = "Trials and what belongs to them"
admin.site.login_form = LoginForm
# The trial page's rows (a site: name, place, status, coordinates...) need the page's width.
admin.site.enable_nav_sidebar = False

# A class of fieldsets and inlines: the trial's page shows them first, before the registry's
# fields (templates/admin/trials/trial/change_form.html).
FIRST_SCREEN = "first-screen"
HISTORY_LIST = "admin/trials/history_list.html"


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = HISTORY_LIST
    formfield_overrides = TEXT_FIELDS
