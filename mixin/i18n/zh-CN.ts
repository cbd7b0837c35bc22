import type { SharedStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: SharedStrings = {
  dashboards: {
    variables: {
      datasource: '数据源',
      job: '任务',
      instance: '实例',
    },
    values: {
      up: '正常',
      down: '故障',
      ok: '正常',
      failed: '失败',
      error: '错误',
    },
    links: {
      overview: '总览',
      host: '主机',
      openHost: '打开主机仪表盘',
    },
    overview: {
      title: 'patrol / 总览',
      description:
        '控制室大屏：每个巡检领域一行，一切正常时所有方块为绿色，需要有人处理时变为红色。',
    },
    host: {
      title: 'patrol / 主机',
      description:
        '单台服务器的详情：采集器状态、各文件系统的空间和 inode 及预计写满时间，以及被监视的目录。',
    },
  },
};
