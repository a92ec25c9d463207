"""Co-governance of advertising (篇1): the accountability ladders of ad reviewers and of
advertisers, operators and publishers, and the joint meetings (联席会议) of the departments
concerned. Its own Django app (label ``ad_governance``) inside the ads package: it reads the
register, not the rest of ``ads``."""
