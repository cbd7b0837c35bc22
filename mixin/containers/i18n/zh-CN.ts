import type { ContainersStrings } from './en.ts';

/** Simplified Chinese (zh-CN). */
export const zhCN: ContainersStrings = {
  alerts: {
    PatrolContainerEngineUnreachable: {
      summary: 'patrol 无法连接容器引擎。',
      description:
        '{{ $labels.instance }} 上的 patrol 得不到 Docker 引擎的应答（collectors.containers.socket）：守护进程已停止、套接字不存在，或 patrol 无权打开它。显示的容器状态是最后一次已知的状态。',
    },
    PatrolContainerNotRunning: {
      summary: '必需的容器没有运行。',
      description:
        '{{ $labels.instance }} 上的容器 {{ $labels.name }} 处于 {{ $labels.state }} 状态，没有运行。它提供的服务已中断：用 docker ps -a 和 docker logs {{ $labels.name }} 查看原因。',
    },
    PatrolContainerRequiredMissing: {
      summary: '必需的容器不存在。',
      description:
        '{{ $labels.instance }} 上必需的容器 {{ $labels.name }} 在 Docker 引擎中不存在：它被删除、改名，或安装器从未创建它。',
    },
    PatrolContainerUnhealthy: {
      summary: '容器健康检查失败。',
      description:
        '{{ $labels.instance }} 上的容器 {{ $labels.name }} 状态为 unhealthy：其健康检查失败。docker inspect --format "{{`{{json .State.Health}}`}}" {{ $labels.name }} 显示最近几次检查。',
    },
    PatrolContainerRestarting: {
      summary: '容器反复重启。',
      description:
        '{{ $labels.instance }} 上的容器 {{ $labels.name }} 在 %window% 内重启了 %count% 次以上，或正在重启：其进程不断退出，重启策略又把它启动起来。',
    },
  },
  dashboards: {
    values: {},
    overview: {
      rows: {
        containers: '容器',
      },
      panels: {
        engineUnreachable: {
          title: '容器引擎故障',
          description: 'Docker 引擎不应答 patrol 的主机：其容器当前没有被监测。',
        },
        requiredNotRunning: {
          title: '必需容器故障',
          description: '没有运行或不存在的必需容器（collectors.containers.required）。',
        },
        unhealthy: {
          title: '不健康的容器',
          description: '健康检查失败的容器。',
        },
        restarting: {
          title: '反复重启的容器',
          description: '正在重启，或在 PatrolContainerRestarting 的时间窗口内多次重启的容器。',
        },
      },
    },
  },
};
