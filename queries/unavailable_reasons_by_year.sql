-- title: 无法提供理由结构（按年）
-- about: The reasons of the 无法提供 category per year, pooled over the selected reports: applications per reason, its share of the category (reason_share) and of 办理结果总计.
-- params: from, to, agency, level
-- metrics: reason_share
SELECT year, reason, reason_label, applications, reason_share, share_of_processed
FROM reason_shares
WHERE category = 'unavailable'
ORDER BY year, ord
