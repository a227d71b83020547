"""Official documents as PDF: the published plan, the vote record, the review opinion, the
working-group record, and the case file (卷宗) that holds them all.

`context` gathers what each document says from the plan's records, `render` turns a template into
a PDF (the only module that talks to WeasyPrint), `annex` lays out the roster annex, `store` keeps each
rendering by its content key (rendered by `flask worker`, served to downloads), `fonts` builds the
cut-down Chinese faces, `case_file` packs and verifies the case file.
"""
