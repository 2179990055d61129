"""The `report-qa` command: the layer above every package (assistant, ui, evals); nothing imports it."""
