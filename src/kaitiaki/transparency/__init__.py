"""The public social media transparency statement, built from the policy pack and live data."""
