-- description: One row per participant with derived attributes used to break results down (age band, origin region, prefecture) and their first enrolment as of the as-of date.
-- columns:
--   participant_id: Pseudonymous participant id.
--   birth_year: Year of birth.
--   age_band: Age in whole years at the as-of date (by birth year), in bands under 25, 25-29, 30-34, 35-39, 40-44, 45-49, 50 and over.
--   gender: female, male, nonbinary or undisclosed.
--   country_of_origin: ISO 3166-1 alpha-3 code of the country of origin.
--   origin_region: UN geoscheme region of the country of origin (ref.countries).
--   origin_subregion: UN geoscheme subregion of the country of origin.
--   residence_status: refugee, complementary_protection, humanitarian, asylum_seeker or other.
--   municipality_code: Local government code of the municipality of residence.
--   prefecture_code: Prefecture part of the municipality code (01 Hokkaido to 47 Okinawa).
--   japanese_level: JLPT level at admission, none, or empty if not reported.
--   consent_research: Whether the participant consented to research use.
--   cohort_id: Cohort of the first enrolment (by enrolment date), empty if not enrolled by the as-of date.
--   track: Track of that cohort.
--   provider: Provider of that cohort.
--   enrolled_on: Date of the first enrolment.
--   status: Status of the first enrolment as of the as-of date (enrolled, completed, withdrawn).
--   completed_on: Completion date of the first enrolment, if completed by the as-of date.
--   withdrawn_on: Withdrawal date of the first enrolment, if withdrawn by the as-of date.
SELECT p.participant_id,
       p.birth_year,
       CASE WHEN year(getvariable('as_of')) - p.birth_year < 25 THEN 'under 25'
            WHEN year(getvariable('as_of')) - p.birth_year >= 50 THEN '50 and over'
            ELSE printf('%d-%d', (year(getvariable('as_of')) - p.birth_year) // 5 * 5, (year(getvariable('as_of')) - p.birth_year) // 5 * 5 + 4)
       END AS age_band,
       p.gender,
       p.country_of_origin,
       coalesce(rc.region, 'Unknown') AS origin_region,
       rc.subregion AS origin_subregion,
       p.residence_status,
       p.municipality_code,
       left(p.municipality_code, 2) AS prefecture_code,
       p.japanese_level,
       p.consent_research,
       f.cohort_id, f.track, f.provider, f.enrolled_on, f.status, f.completed_on, f.withdrawn_on
FROM staging.participants p
LEFT JOIN core.enrollments f ON f.participant_id = p.participant_id AND f.is_first
LEFT JOIN ref.countries rc ON rc.iso3 = p.country_of_origin
ORDER BY p.participant_id
