-- The funnel (marts.impact_funnel) for everyone, each track and each cohort, with the group's enrolled count.
SELECT breakdown, group_value, stage_order, stage,
       first_value(people) OVER (PARTITION BY breakdown, group_value ORDER BY stage_order) AS enrolled,
       people, share_of_enrolled
FROM marts.impact_funnel
WHERE breakdown IN ('all', 'track', 'cohort')
ORDER BY breakdown, group_value, stage_order
