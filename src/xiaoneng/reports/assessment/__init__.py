"""效能考核 (seed 篇5, 篇2, 篇9; issue 13): indicators computed from the records, weighted per
kind of subject into a score, ranked by period, each score traced to the records behind it."""
