"""Advertising supervision (篇1): ad operators and their annual qualification check, filings,
monitored ads, notices, accountability ladders and joint meetings."""
