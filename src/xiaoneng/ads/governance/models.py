"""The models of the ad ladders and joint meetings; sub-modules keep their own."""
