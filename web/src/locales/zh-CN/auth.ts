export const auth = {
  title: '登录',
  username: '用户名',
  password: '密码',
  usernameRequired: '请输入用户名',
  passwordRequired: '请输入密码',
  submit: '登 录',
  welcome: (name: string) => `欢迎，${name}`,
  sessionExpired: '登录已失效，请重新登录',
};
