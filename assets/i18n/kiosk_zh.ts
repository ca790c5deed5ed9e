<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh">
<context>
    <name>kiosk</name>
    <message>
        <source>Please place your My Number card on the reader</source>
        <translation>请将个人编号卡放在读卡器上</translation>
    </message>
    <message>
        <source>Take the card out of its case and lay it face up.</source>
        <translation>请将卡从卡套中取出，正面朝上放置。</translation>
    </message>
    <message>
        <source>Reading your card…</source>
        <translation>正在读取卡片…</translation>
    </message>
    <message>
        <source>Please leave the card on the reader.</source>
        <translation>请不要移动卡片。</translation>
    </message>
    <message>
        <source>This card cannot be used</source>
        <translation>此卡无法使用</translation>
    </message>
    <message>
        <source>Please take your card.</source>
        <translation>请取回您的卡。</translation>
    </message>
    <message>
        <source>The card could not be read</source>
        <translation>无法读取卡片</translation>
    </message>
    <message>
        <source>Please take your card and ask a member of staff.</source>
        <translation>请取回卡片并联系工作人员。</translation>
    </message>
    <message>
        <source>The certificate on your card has expired</source>
        <translation>卡内电子证书已过期</translation>
    </message>
    <message>
        <source>It expired more than 3 months ago. Please renew it at your municipal office.</source>
        <translation>已过期3个月以上。请到居住地的市区町村政府窗口办理更新。</translation>
    </message>
    <message>
        <source>Your card is not registered for health insurance use</source>
        <translation>此卡尚未登记为健康保险证使用</translation>
    </message>
    <message>
        <source>You can register it now. Registration needs your 4-digit PIN.</source>
        <translation>现在可以在这里登记为健康保险证使用。登记需要4位数密码。</translation>
    </message>
    <message>
        <source>Your certificate expires soon</source>
        <translation>电子证书即将到期</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office before it expires.</source>
        <translation>请在到期前到居住地的市区町村政府窗口办理更新。</translation>
    </message>
    <message>
        <source>Your certificate has expired</source>
        <translation>电子证书已过期</translation>
    </message>
    <message>
        <source>For 3 months after expiry only your eligibility can be confirmed; medical information is not shared.</source>
        <translation>到期后3个月内仅可确认资格，无法提供医疗信息。</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office.</source>
        <translation>请到居住地的市区町村政府窗口办理更新。</translation>
    </message>
    <message>
        <source>How would you like to confirm your identity?</source>
        <translation>请选择身份确认方式</translation>
    </message>
    <message>
        <source>Choose face recognition or your 4-digit PIN.</source>
        <translation>请选择人脸识别或4位数密码。</translation>
    </message>
    <message>
        <source>Reading the front of your card…</source>
        <translation>正在读取卡片正面…</translation>
    </message>
    <message>
        <source>Leave the card face up on the reader.</source>
        <translation>请保持卡片正面朝上。</translation>
    </message>
    <message>
        <source>Reading the photo on your card…</source>
        <translation>正在读取卡内照片…</translation>
    </message>
    <message>
        <source>Please look at the camera</source>
        <translation>请看向摄像头</translation>
    </message>
    <message>
        <source>Keep your face inside the frame.</source>
        <translation>请将脸保持在框内。</translation>
    </message>
    <message>
        <source>Face recognition did not succeed</source>
        <translation>人脸识别未成功</translation>
    </message>
    <message>
        <source>You can try again, or use your PIN.</source>
        <translation>您可以重试，或使用密码。</translation>
    </message>
    <message>
        <source>Face recognition cannot be used</source>
        <translation>无法使用人脸识别</translation>
    </message>
    <message>
        <source>Please use your PIN or ask a member of staff.</source>
        <translation>请使用密码或联系工作人员。</translation>
    </message>
    <message>
        <source>This is your last PIN attempt</source>
        <translation>这是最后一次输入密码的机会</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, it will be locked and can only be reset at your municipal office.</source>
        <translation>如果再输错一次，密码将被锁定，只能到市区町村政府窗口重新设置。</translation>
    </message>
    <message>
        <source>Enter your 4-digit PIN</source>
        <translation>请输入4位数密码</translation>
    </message>
    <message>
        <source>Shield the keypad with your hand.</source>
        <translation>请用手遮挡键盘输入。</translation>
    </message>
    <message>
        <source>Checking your PIN…</source>
        <translation>正在确认密码…</translation>
    </message>
    <message>
        <source>The PIN is not correct</source>
        <translation>密码不正确</translation>
    </message>
    <message>
        <source>To enter the PIN again, press Try again.</source>
        <translation>如需重新输入，请按“再试一次”。</translation>
    </message>
    <message>
        <source>Your PIN is locked</source>
        <translation>密码已被锁定</translation>
    </message>
    <message>
        <source>It can be reset at your municipal office. Face recognition can still be used today.</source>
        <translation>可到居住地的市区町村政府窗口重新设置。今天仍可使用人脸识别。</translation>
    </message>
    <message>
        <source>Please ask a member of staff</source>
        <translation>请联系工作人员</translation>
    </message>
    <message>
        <source>A member of staff will compare you with the photo on your card.</source>
        <translation>工作人员将核对您与卡上的照片。</translation>
    </message>
    <message>
        <source>Staff visual check</source>
        <translation>工作人员目视确认</translation>
    </message>
    <message>
        <source>Staff: compare the photo printed on the card with the patient. Confirm only if they match.</source>
        <translation>工作人员：请对照卡面照片与本人，仅在一致时确认。</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>同意确认</translation>
    </message>
    <message>
        <source>Confirming your eligibility…</source>
        <translation>正在确认资格…</translation>
    </message>
    <message>
        <source>Please wait a moment.</source>
        <translation>请稍候。</translation>
    </message>
    <message>
        <source>Reception could not be completed</source>
        <translation>无法完成挂号</translation>
    </message>
    <message>
        <source>Reception complete. Please take your card.</source>
        <translation>挂号已完成。请取回您的卡。</translation>
    </message>
    <message>
        <source>Thank you. Please wait to be called.</source>
        <translation>谢谢。请等候叫号。</translation>
    </message>
    <message>
        <source>Please take your card</source>
        <translation>请取回您的卡</translation>
    </message>
    <message>
        <source>The reception was not completed.</source>
        <translation>挂号未完成。</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>工作人员密码</translation>
    </message>
    <message>
        <source>Staff panel</source>
        <translation>工作人员菜单</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>发生错误。</translation>
    </message>
    <message>
        <source>This took too long.</source>
        <translation>耗时过长。</translation>
    </message>
    <message>
        <source>There was no input for a while, so the reception was stopped.</source>
        <translation>由于长时间没有操作，挂号已中止。</translation>
    </message>
    <message>
        <source>The reception was cancelled.</source>
        <translation>挂号已取消。</translation>
    </message>
    <message>
        <source>The staff check did not confirm the card holder.</source>
        <translation>工作人员未能确认持卡人本人。</translation>
    </message>
    <message>
        <source>Please use a My Number card.</source>
        <translation>请使用个人编号卡。</translation>
    </message>
    <message>
        <source>The card could not be read. Please place it again.</source>
        <translation>无法读取卡片，请重新放置。</translation>
    </message>
    <message>
        <source>The card was removed.</source>
        <translation>卡片已被拿走。</translation>
    </message>
    <message>
        <source>The card gave an unexpected answer.</source>
        <translation>卡片返回了异常应答。</translation>
    </message>
    <message>
        <source>No card reader was found.</source>
        <translation>未找到读卡器。</translation>
    </message>
    <message>
        <source>The front of the card could not be read. Place it face up and try again.</source>
        <translation>无法读取卡片正面。请正面朝上重新放置后重试。</translation>
    </message>
    <message>
        <source>The card face was read incorrectly.</source>
        <translation>卡面读取结果有误。</translation>
    </message>
    <message>
        <source>The photo on this card cannot be read.</source>
        <translation>无法读取此卡的照片。</translation>
    </message>
    <message>
        <source>The photo on this card is protected after several failed reads; face recognition is not used.</source>
        <translation>此卡的照片因多次读取失败而受到保护，无法使用人脸识别。</translation>
    </message>
    <message>
        <source>The photo on the card cannot be used for matching.</source>
        <translation>卡内照片无法用于比对。</translation>
    </message>
    <message>
        <source>The camera is not available.</source>
        <translation>摄像头不可用。</translation>
    </message>
    <message>
        <source>Your face could not be matched with the card photo.</source>
        <translation>与卡内照片不一致。</translation>
    </message>
    <message>
        <source>The live check did not succeed.</source>
        <translation>活体检测未通过。</translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>密码不正确。</translation>
    </message>
    <message>
        <source>The PIN is locked.</source>
        <translation>密码已被锁定。</translation>
    </message>
    <message>
        <source>This card has no PIN (face-authentication card).</source>
        <translation>此卡未设置密码（人脸认证个人编号卡）。</translation>
    </message>
    <message>
        <source>Please enter 4 digits.</source>
        <translation>请输入4位数字。</translation>
    </message>
    <message>
        <source>The verification service cannot be reached.</source>
        <translation>无法连接资格确认系统。</translation>
    </message>
    <message>
        <source>The verification service did not answer in time.</source>
        <translation>资格确认系统没有响应。</translation>
    </message>
    <message>
        <source>The verification service could not confirm this card.</source>
        <translation>资格确认系统无法确认此卡的资格。</translation>
    </message>
    <message>
        <source>The card was removed, so the reception was stopped.</source>
        <translation>卡片已被拿走，挂号已中止。</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <translation>谢谢。</translation>
    </message>
    <message>
        <source>Staff visual check is on for the next patient.</source>
        <translation>下一位患者将由工作人员目视确认。</translation>
    </message>
    <message>
        <source>Staff visual check is off.</source>
        <translation>目视确认模式已关闭。</translation>
    </message>
    <message>
        <source>Staff will confirm your eligibility. Please wait to be called.</source>
        <translation>工作人员将为您确认资格。请等候叫号。</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>本机暂停服务</translation>
    </message>
    <message>
        <source>Staff have been told on the staff panel.</source>
        <translation>已在工作人员面板上通知工作人员。</translation>
    </message>
    <message>
        <source>Your reception has been recorded. Please take your card.</source>
        <translation>您的挂号已记录。请取回您的卡。</translation>
    </message>
    <message>
        <source>Wrong staff PIN. {n} tries left.</source>
        <translation>工作人员密码错误。剩余{n}次。</translation>
    </message>
    <message>
        <source>Staff PIN locked. Try again in {n} seconds.</source>
        <translation>工作人员密码已锁定。请在{n}秒后重试。</translation>
    </message>
    <message>
        <source>Your card is still on the reader!</source>
        <translation>您的卡还在读卡器上，请取回。</translation>
    </message>
    <message>
        <source>Please hold still.</source>
        <translation>请保持不动。</translation>
    </message>
    <message>
        <source>Please look at the camera.</source>
        <translation>请看向摄像头。</translation>
    </message>
    <message>
        <source>One person at a time, please.</source>
        <translation>请一次一人站在摄像头前。</translation>
    </message>
    <message>
        <source>Please come a little closer.</source>
        <translation>请再靠近一点。</translation>
    </message>
    <message>
        <source>Please move back a little.</source>
        <translation>请稍微后退。</translation>
    </message>
    <message>
        <source>Please move your face to the centre.</source>
        <translation>请将脸移到中央。</translation>
    </message>
    <message>
        <source>Please face the camera straight on.</source>
        <translation>请正对摄像头。</translation>
    </message>
    <message>
        <source>It is too dark here.</source>
        <translation>光线太暗。</translation>
    </message>
    <message>
        <source>There is too much light behind you.</source>
        <translation>背光太强。</translation>
    </message>
    <message>
        <source>Please open your eyes.</source>
        <translation>请睁开眼睛。</translation>
    </message>
    <message>
        <source>Please take off your mask.</source>
        <translation>请摘下口罩。</translation>
    </message>
    <message>
        <source>Please take off your hat.</source>
        <translation>请摘下帽子。</translation>
    </message>
    <message>
        <source>Please blink.</source>
        <translation>请眨眼。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left.</source>
        <translation>请慢慢把头转向您的左边。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right.</source>
        <translation>请慢慢把头转向您的右边。</translation>
    </message>
    <message>
        <source>Please nod slowly.</source>
        <translation>请慢慢点头。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Face recognition</source>
        <translation>人脸识别</translation>
    </message>
    <message>
        <source>PIN (4 digits)</source>
        <translation>密码（4位数）</translation>
    </message>
    <message>
        <source>Ask staff</source>
        <translation>呼叫工作人员</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再试一次</translation>
    </message>
    <message>
        <source>I understand, enter the PIN</source>
        <translation>输入密码</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>大字体</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>工作人员专用</translation>
    </message>
    <message>
        <source>Visual check for next patient</source>
        <translation>下一位改为目视确认</translation>
    </message>
    <message>
        <source>Turn visual check off</source>
        <translation>关闭目视确认</translation>
    </message>
    <message>
        <source>Self-test and counts</source>
        <translation>自检与统计</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Same person: confirm</source>
        <translation>确认为本人</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>无法确认本人</translation>
    </message>
    <message>
        <source>Agree to all</source>
        <translation>全部同意</translation>
    </message>
    <message>
        <source>Choose item by item</source>
        <translation>逐项选择</translation>
    </message>
    <message>
        <source>Agree</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>Do not agree</source>
        <translation>不同意</translation>
    </message>
    <message>
        <source>Provide</source>
        <translation>提供</translation>
    </message>
    <message>
        <source>Do not provide</source>
        <translation>不提供</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Electronic prescription</source>
        <translation>电子处方</translation>
    </message>
    <message>
        <source>Paper prescription</source>
        <translation>纸质处方</translation>
    </message>
    <message>
        <source>Card reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <source>Card-face camera</source>
        <translation>卡面摄像头</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Verification service</source>
        <translation>资格确认系统</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Last errors</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>人脸</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Visual check</source>
        <translation>目视确认</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>声音开</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>声音关</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Tries left: {n}</source>
        <translation>剩余次数：{n}</translation>
    </message>
    <message>
        <source>Expiry date: {date}</source>
        <translation>有效期限：{date}</translation>
    </message>
    <message>
        <source>Running the self-test…</source>
        <translation>正在自检…</translation>
    </message>
    <message>
        <source>No card is on the reader. Please place your My Number card.</source>
        <translation>读卡器上没有卡。请放置您的个人编号卡。</translation>
    </message>
    <message>
        <source>The reception could not be saved. Please ask a member of staff.</source>
        <translation>无法保存受理内容。请联系工作人员。</translation>
    </message>
    <message>
        <source>The kiosk is not configured correctly. Please ask a member of staff.</source>
        <translation>自助终端的设置有误。请联系工作人员。</translation>
    </message>
    <message>
        <source>Your identity has been confirmed.</source>
        <translation>已确认您的身份。</translation>
    </message>
    <message>
        <source>Please try once more.</source>
        <translation>请再试一次。</translation>
    </message>
    <message>
        <source>Face check did not confirm you. Please use your PIN or ask staff to check.</source>
        <translation>人脸识别未能确认您的身份。请使用密码或请工作人员确认。</translation>
    </message>
    <message>
        <source>We could not confirm this. Please use your PIN or ask staff to check.</source>
        <translation>未能确认。请使用密码或请工作人员确认。</translation>
    </message>
    <message>
        <source>Your face could not be captured. Please use your PIN or ask staff to check.</source>
        <translation>未能拍摄到您的面部。请使用密码或请工作人员确认。</translation>
    </message>
    <message>
        <source>Refused results held</source>
        <translation>被拒收的受理结果</translation>
    </message>
    <message>
        <source>The card did not answer. Please place it again.</source>
        <translation>卡片没有响应。请重新放置卡片。</translation>
    </message>
    <message>
        <source>The card's data could not be verified. Please use your PIN or ask staff to check.</source>
        <translation>无法验证卡片信息。请使用密码，或请工作人员确认。</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <source>Face camera</source>
        <translation>人脸识别摄像头</translation>
    </message>
    <message>
        <source>Staff: compare the photo read from the card's chip with the patient. Confirm only if they match.</source>
        <translation>工作人员：请将从卡片芯片读取的照片与本人进行比对，仅在一致时确认。</translation>
    </message>
    <message>
        <source>The chip gives the name only with the patient's PIN: read it on the card.</source>
        <translation>没有本人的密码无法从芯片读取姓名，请查看卡面上的姓名。</translation>
    </message>
    <message>
        <source>Enter the staff PIN to confirm that this is the same person.</source>
        <translation>请输入工作人员密码，以确认是本人。</translation>
    </message>
    <message>
        <source>Enter the staff PIN to record that this is not the same person.</source>
        <translation>请输入工作人员密码，以记录不是本人。</translation>
    </message>
    <message>
        <source>Calling staff…</source>
        <translation>正在呼叫工作人员…</translation>
    </message>
    <message>
        <source>Staff have been called. Please wait here.</source>
        <translation>已呼叫工作人员，请在此稍候。</translation>
    </message>
    <message>
        <source>The call did not reach staff. Please ask at the reception desk.</source>
        <translation>未能联系到工作人员，请到接待窗口咨询。</translation>
    </message>
    <message>
        <source>Do you want to continue?</source>
        <translation>您还要继续吗？</translation>
    </message>
    <message>
        <source>If there is no answer, the reception stops when the time runs out.</source>
        <translation>如无操作，时间到后将停止受理。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Question {k} of {n}</source>
        <translation>第{k}题，共{n}题</translation>
    </message>
    <message>
        <source>You agreed to share: {items}</source>
        <translation>您同意提供的信息：{items}</translation>
    </message>
    <message>
        <source>You did not agree to share: {items}</source>
        <translation>您未同意提供的信息：{items}</translation>
    </message>
    <message>
        <source>This card's electronic certificate has been revoked. It cannot be used here today.</source>
        <translation>此卡的电子证书已失效，今天无法在此使用。</translation>
    </message>
    <message>
        <source>Voice guide</source>
        <translation>语音导航</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>运行正常</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要检查</translation>
    </message>
    <message>
        <source>None today</source>
        <translation>今天没有</translation>
    </message>
    <message>
        <source>Internal error (see the kiosk log)</source>
        <translation>内部错误（请查看终端日志）</translation>
    </message>
    <message>
        <source>Face models</source>
        <translation>人脸识别模型</translation>
    </message>
    <message>
        <source>Which smartphone do you use?</source>
        <translation>请选择您使用的智能手机</translation>
    </message>
    <message>
        <source>Android: enter the PIN here first. iPhone: no PIN here.</source>
        <translation>Android:请先在此输入密码。iPhone:无需在此输入密码。</translation>
    </message>
    <message>
        <source>Enter the 4-digit PIN of your smartphone certificate</source>
        <translation>请输入智能手机电子证书的4位数密码</translation>
    </message>
    <message>
        <source>Then hold your smartphone over the smartphone reader.</source>
        <translation>然后请将智能手机放在智能手机读取器上。</translation>
    </message>
    <message>
        <source>Hold your smartphone over the smartphone reader</source>
        <translation>请将智能手机放在智能手机读取器上</translation>
    </message>
    <message>
        <source>iPhone: confirm with Face ID or Touch ID on the phone first.</source>
        <translation>iPhone用户请先在手机上用面容ID或触控ID进行验证。</translation>
    </message>
    <message>
        <source>Keep it still for 1–2 seconds.</source>
        <translation>请保持不动1至2秒。</translation>
    </message>
    <message>
        <source>Reading your smartphone…</source>
        <translation>正在读取智能手机…</translation>
    </message>
    <message>
        <source>Please keep the smartphone on the reader.</source>
        <translation>请不要将智能手机从读取器上移开。</translation>
    </message>
    <message>
        <source>This is the last PIN attempt for your smartphone</source>
        <translation>智能手机密码只剩最后一次输入机会</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, the certificate on your smartphone will be locked.</source>
        <translation>如果再输错一次,智能手机上的电子证书将被锁定。</translation>
    </message>
    <message>
        <source>The certificate on your smartphone cannot be used</source>
        <translation>智能手机上的电子证书无法使用</translation>
    </message>
    <message>
        <source>Please use your My Number card on the card reader.</source>
        <translation>请在卡片读取器上使用个人编号卡。</translation>
    </message>
    <message>
        <source>The certificate on your smartphone has expired. Please use your My Number card instead.</source>
        <translation>智能手机上的电子证书已过期。请改用个人编号卡。</translation>
    </message>
    <message>
        <source>Please hold your smartphone over the smartphone reader.</source>
        <translation>请将智能手机放在智能手机专用读取器上。</translation>
    </message>
    <message>
        <source>Please place your My Number card on the card reader.</source>
        <translation>请将个人编号卡放在卡片读取器上。</translation>
    </message>
    <message>
        <source>The smartphone moved away before it was read. Please hold it again.</source>
        <translation>读取过程中智能手机离开了读取器。请再放一次。</translation>
    </message>
    <message>
        <source>Your smartphone is still on the reader!</source>
        <translation>您的智能手机还在读取器上!</translation>
    </message>
    <message>
        <source>Smartphone</source>
        <translation>智能手机</translation>
    </message>
    <message>
        <source>Android</source>
        <translation>Android</translation>
    </message>
    <message>
        <source>iPhone</source>
        <translation>iPhone</translation>
    </message>
    <message>
        <source>Smartphone (Android)</source>
        <translation>智能手机(Android)</translation>
    </message>
    <message>
        <source>Smartphone (iPhone)</source>
        <translation>智能手机(iPhone)</translation>
    </message>
    <message>
        <source>Smartphone reader</source>
        <translation>智能手机读取器</translation>
    </message>
    <message>
        <source>Reception complete.</source>
        <translation>受理已完成。</translation>
    </message>
    <message>
        <source>Your reception has been recorded.</source>
        <translation>您的受理内容已记录。</translation>
    </message>
    <message>
        <source>The reception was not completed</source>
        <translation>受理未完成</translation>
    </message>
    <message>
        <source>The smartphone could not be read</source>
        <translation>无法读取智能手机</translation>
    </message>
    <message>
        <source>Please use your My Number card, or ask a member of staff.</source>
        <translation>请使用个人编号卡,或咨询工作人员。</translation>
    </message>
    <message>
        <source>If nothing happens, turn on NFC in the phone's settings.</source>
        <translation>如果没有反应,请在手机设置中开启NFC。</translation>
    </message>
</context>
</TS>
