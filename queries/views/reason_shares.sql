-- title: 理由结构（不予公开、无法提供、不予处理）
-- about: Applications per reason of the three reason categories (refused, unavailable, not_processed) per year, pooled, with the share of the reason in its category (reason_share) and in 办理结果总计 (share_of_processed). Reads the stored report_wide table (one row per report), so it stays fast on large warehouses. A report whose error findings name a cell of section 三's reason rows or totals is left out (--include-flagged keeps it).
WITH clean AS (
  SELECT * FROM report_wide WHERE {{ok reason_share}}
), sums AS (
  SELECT year, SUM(processed_total) AS processed,
    SUM(refused_state_secret) AS refused_state_secret,
    SUM(refused_law_prohibited) AS refused_law_prohibited,
    SUM(refused_security_stability) AS refused_security_stability,
    SUM(refused_third_party_rights) AS refused_third_party_rights,
    SUM(refused_internal_affairs) AS refused_internal_affairs,
    SUM(refused_process_info) AS refused_process_info,
    SUM(refused_enforcement_file) AS refused_enforcement_file,
    SUM(refused_admin_query) AS refused_admin_query,
    SUM(unavailable_not_held) AS unavailable_not_held,
    SUM(unavailable_needs_creation) AS unavailable_needs_creation,
    SUM(unavailable_unclear) AS unavailable_unclear,
    SUM(not_processed_petition) AS not_processed_petition,
    SUM(not_processed_duplicate) AS not_processed_duplicate,
    SUM(not_processed_publication) AS not_processed_publication,
    SUM(not_processed_excessive) AS not_processed_excessive,
    SUM(not_processed_confirmation) AS not_processed_confirmation
  FROM clean
  GROUP BY year
), counts AS (
  SELECT year, 'refused_state_secret' AS row_id, refused_state_secret AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_law_prohibited' AS row_id, refused_law_prohibited AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_security_stability' AS row_id, refused_security_stability AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_third_party_rights' AS row_id, refused_third_party_rights AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_internal_affairs' AS row_id, refused_internal_affairs AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_process_info' AS row_id, refused_process_info AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_enforcement_file' AS row_id, refused_enforcement_file AS applications, processed FROM sums
  UNION ALL SELECT year, 'refused_admin_query' AS row_id, refused_admin_query AS applications, processed FROM sums
  UNION ALL SELECT year, 'unavailable_not_held' AS row_id, unavailable_not_held AS applications, processed FROM sums
  UNION ALL SELECT year, 'unavailable_needs_creation' AS row_id, unavailable_needs_creation AS applications, processed FROM sums
  UNION ALL SELECT year, 'unavailable_unclear' AS row_id, unavailable_unclear AS applications, processed FROM sums
  UNION ALL SELECT year, 'not_processed_petition' AS row_id, not_processed_petition AS applications, processed FROM sums
  UNION ALL SELECT year, 'not_processed_duplicate' AS row_id, not_processed_duplicate AS applications, processed FROM sums
  UNION ALL SELECT year, 'not_processed_publication' AS row_id, not_processed_publication AS applications, processed FROM sums
  UNION ALL SELECT year, 'not_processed_excessive' AS row_id, not_processed_excessive AS applications, processed FROM sums
  UNION ALL SELECT year, 'not_processed_confirmation' AS row_id, not_processed_confirmation AS applications, processed FROM sums
)
SELECT k.year, l.category, k.row_id AS reason, l.label AS reason_label, l.ord, k.applications,
  CASE WHEN SUM(k.applications) OVER (PARTITION BY k.year, l.category) > 0
       THEN k.applications / SUM(k.applications) OVER (PARTITION BY k.year, l.category) END AS reason_share,
  CASE WHEN k.processed > 0 THEN k.applications / k.processed END AS share_of_processed
FROM counts k
JOIN labels l ON l.id = k.row_id
