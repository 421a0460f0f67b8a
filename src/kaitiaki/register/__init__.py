"""The register of channels: channels and their business owners, requests for new channels and
extended use with their two-party approvals, posting authorisations, and social media apps on
work devices (the policy's "Establishment and management of social media channels", "Authority to
use social media at work" and "Social Media Apps on Work Devices")."""
