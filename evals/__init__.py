"""The eval set and its runner: proves report-qa's answers against hand-written questions."""
