"""What a finished trial found, for its page: the registry's results turned into plain objects
(build.py), bar charts' geometry (charts.py) and careful sentences (sentences.py). The HTML and
SVG are templates (templates/includes/findings*.html); nothing here writes markup."""
