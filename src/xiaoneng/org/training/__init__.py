"""Training records (培训记录, 篇8): the sessions the divisions and stations hold, who attended
them, and the figures of 场次, 人次 and hours. Its own Django app (label ``training``) inside the
org package: it reads the organisation and nothing later."""
