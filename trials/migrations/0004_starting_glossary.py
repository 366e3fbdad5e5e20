"""The glossary patients start with. Curators edit it in the admin; this only fills it once."""

from django.db import migrations

TERMS = [
    ("Phase", ["phases"], "Trials of a new treatment go in steps called phases. Phase 1 looks at safety and dose in a few people, phase 2 at whether it works and its side effects, phase 3 compares it with the usual treatment in many people, and phase 4 follows it after approval."),
    ("Randomized", ["randomised", "randomization", "randomisation"], "Participants are put into the trial's groups by chance, like a coin toss, so the groups can be compared fairly. Neither you nor the doctors choose the group."),
    ("Arm", ["arms", "treatment group"], "A group of participants in a trial who all receive the same treatment plan. Many trials compare two or more arms."),
    ("Open label", ["open-label"], "Participants and their doctors know which treatment is being given. Nothing is hidden."),
    ("Masking", ["blinding", "blinded"], "Keeping participants, doctors or researchers from knowing which treatment each person receives, so that expectations do not colour the results."),
    ("Placebo", [], "A look-alike with no active medicine, used so a treatment can be compared with receiving no treatment."),
    ("MRD", ["minimal residual disease", "measurable residual disease"], "Minimal (or measurable) residual disease: the small number of leukemia cells that can remain after treatment, too few to see under a microscope but found by sensitive laboratory tests."),
    ("Complete remission", ["CR", "remission"], "No signs of leukemia can be found in the blood or bone marrow by the usual tests after treatment. It does not always mean the leukemia is cured."),
    ("Relapsed", ["relapse"], "The leukemia has come back after a period of remission."),
    ("Refractory", [], "The leukemia did not respond to treatment, or did not go into remission."),
    ("Eligibility criteria", ["inclusion criteria", "exclusion criteria"], "The rules for who can and cannot take part in a trial, such as age, type of illness and earlier treatments. Only the trial team can say whether someone meets them."),
    ("Enrollment", ["enrolment"], "The number of people a trial includes, or plans to include (estimated)."),
    ("Sponsor", ["lead sponsor", "collaborator"], "The company, hospital, university or agency that runs or pays for the trial."),
    ("Principal investigator", ["study chair", "study director"], "The doctor or scientist who leads the trial, at one site or overall."),
    ("Bone marrow", [], "The soft tissue inside bones where blood cells are made, and where leukemia starts."),
    ("Stem cell transplant", ["HSCT", "allogeneic HSCT", "hematopoietic stem cell transplant"], "A treatment that replaces blood-forming cells in the bone marrow, often with cells from a donor (allogeneic)."),
    ("Immunotherapy", [], "Treatment that helps the body's own immune system find and fight the disease."),
    ("Bispecific T-cell engager", ["BiTE"], "A kind of immunotherapy, such as blinatumomab, that attaches to a person's T cells (immune cells) and to leukemia cells at the same time, bringing them together so the T cells can attack the leukemia."),
    ("Continuous infusion", ["continuous intravenous infusion", "CIVI"], "A medicine given into a vein steadily, day and night, through a small pump, often for several weeks."),
    ("Cytokine release syndrome", ["CRS"], "A reaction that some immunotherapies can cause when the immune system becomes very active: fever, low blood pressure or trouble breathing. Trial teams watch for it closely."),
    ("Observational study", ["observational"], "A study that collects information about people and their usual care, without giving them a treatment chosen by the study."),
    ("Interventional study", ["interventional", "clinical trial"], "A study in which participants receive a treatment or procedure chosen by the study plan, to find out its effects."),
    ("Primary outcome", ["primary outcome measure"], "The main result a trial is designed to measure, such as how many people go into remission."),
    ("B-cell acute lymphoblastic leukemia", ["B-ALL", "B-cell ALL", "acute lymphoblastic leukemia", "ALL"], "A fast-growing cancer of the blood and bone marrow that starts in young B cells, a type of white blood cell. It is the most common cancer in children and also occurs in adults."),
    ("Informed consent", [], "The process in which the trial team explains the trial, its risks and possible benefits, and the person (or their parent or guardian) agrees in writing to take part. Anyone can leave a trial at any time."),
]


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("trials", "GlossaryTerm")
    for term, also, definition in TERMS:
        GlossaryTerm.objects.get_or_create(
            term=term, defaults={"also_matches": also, "definition": definition}
        )


class Migration(migrations.Migration):
    dependencies = [("trials", "0003_synthetic_flag_and_glossary")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
