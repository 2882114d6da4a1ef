export const menu = {
  residents: '居民台账',
  households: '户',
  places: '房屋',
  dashboard: '统计',
  reports: '报告',
  imports: '导入导出',
  audit: '审计日志',
  users: '账号管理',
  disputes: '矛盾纠纷',
  petitions: '信访热线',
  // Casework: visits, must-visits, pairing, assistance.
  myTasks: '我的任务',
  visits: '走访慰问',
  mustVisits: '四个必访',
  visitCampaigns: '节日走访',
  pairings: '结对',
  assistance: '帮困',
};
