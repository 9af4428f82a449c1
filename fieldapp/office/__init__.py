"""The office's own records: typing in or importing scores, external cases, bonuses,
survey tallies and the fund roster (records, imports), and the year's report (report)."""
