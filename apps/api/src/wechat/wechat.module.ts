import { Global, Module } from '@nestjs/common';
import { WechatClient } from './wechat.client.js';

@Global()
@Module({ providers: [WechatClient], exports: [WechatClient] })
export class WechatModule {}
