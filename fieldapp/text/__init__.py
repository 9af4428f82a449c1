"""What the phone and the office both speak and show: words (common), formats (fmt), looks (theme)."""
