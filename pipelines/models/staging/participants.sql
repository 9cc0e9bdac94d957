-- description: One row per participant (raw.participants). Direct identifiers were dropped at ingest.
-- columns:
--   participant_id: Pseudonymous participant id (HMAC-SHA256 of the programme reference under a key kept outside the warehouse).
--   birth_year: Year of birth.
--   gender: female, male, nonbinary or undisclosed.
--   country_of_origin: ISO 3166-1 alpha-3 code of the country of origin.
--   residence_status: refugee, complementary_protection, humanitarian, asylum_seeker or other.
--   municipality_code: Local government code (6 digits with check digit) of the municipality of residence.
--   arrival_date: Date of arrival in Japan, if reported.
--   japanese_level: JLPT level N1 to N5, none, or empty if not reported.
--   consent_research: Whether the participant consented to research use.
SELECT participant_id, birth_year, gender, country_of_origin, residence_status, municipality_code,
       arrival_date, japanese_level, consent_research
FROM raw.participants
ORDER BY participant_id
