"""What the generic scoping test (tests/web/test_scoping_all.py) requests, and with what.

- ``world``: the county and one record of every kind that belongs to its east station;
- ``params``: how to fill each parameter of a URL pattern or API operation (``FILLS``), and the
  queries and bodies some need; a URL with a parameter no entry fills fails the test, asking
  for an entry there;
- ``expected``: the main lists, the pages that refuse a role (``REFUSED``) and those that
  answer 404 to everyone;
- ``endpoints``: every URL pattern and API operation; ``calls``: a request of one, and its
  answer.
"""
