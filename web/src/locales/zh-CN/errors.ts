/** Messages for failures the browser sees before or instead of a server answer. */
export const errors = {
  network: '无法连接服务器，请检查网络后重试',
  unexpected: '操作失败，请稍后重试',
  unauthenticated: '请先登录',
  notFound: '页面不存在',
  notFoundHint: '您访问的页面不存在或无权查看',
  backHome: '返回首页',
};
