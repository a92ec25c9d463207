"""The models of ``xiaoneng.ads``; sub-packages keep their own and are gathered here."""
