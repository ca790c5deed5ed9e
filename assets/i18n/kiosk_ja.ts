<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>kiosk</name>
    <message>
        <source>Please place your My Number card on the reader</source>
        <translation>マイナンバーカードをカードリーダーに置いてください</translation>
    </message>
    <message>
        <source>Take the card out of its case and lay it face up.</source>
        <translation>カードをケースから出し、表を上にして置いてください。</translation>
    </message>
    <message>
        <source>Reading your card…</source>
        <translation>カードを読み取っています…</translation>
    </message>
    <message>
        <source>Please leave the card on the reader.</source>
        <translation>カードはそのまま置いておいてください。</translation>
    </message>
    <message>
        <source>This card cannot be used</source>
        <translation>このカードは使えません</translation>
    </message>
    <message>
        <source>Please take your card.</source>
        <translation>カードをお取りください。</translation>
    </message>
    <message>
        <source>The card could not be read</source>
        <translation>カードを読み取れませんでした</translation>
    </message>
    <message>
        <source>Please take your card and ask a member of staff.</source>
        <translation>カードをお取りになり、職員にお声がけください。</translation>
    </message>
    <message>
        <source>The certificate on your card has expired</source>
        <translation>カードの電子証明書の有効期限が切れています</translation>
    </message>
    <message>
        <source>It expired more than 3 months ago. Please renew it at your municipal office.</source>
        <translation>有効期限が切れてから3か月以上が過ぎています。お住まいの市区町村の窓口で更新してください。</translation>
    </message>
    <message>
        <source>Your card is not registered for health insurance use</source>
        <translation>このカードは健康保険証として利用登録されていません</translation>
    </message>
    <message>
        <source>You can register it now. Registration needs your 4-digit PIN.</source>
        <translation>この場で健康保険証の利用登録ができます。登録には4桁の暗証番号が必要です。</translation>
    </message>
    <message>
        <source>Your certificate expires soon</source>
        <translation>電子証明書の有効期限が近づいています</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office before it expires.</source>
        <translation>有効期限が切れる前に、お住まいの市区町村の窓口で更新してください。</translation>
    </message>
    <message>
        <source>Your certificate has expired</source>
        <translation>電子証明書の有効期限が切れています</translation>
    </message>
    <message>
        <source>For 3 months after expiry only your eligibility can be confirmed; medical information is not shared.</source>
        <translation>有効期限が切れてから3か月間は、資格確認のみ行えます。診療情報などは提供されません。</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office.</source>
        <translation>お住まいの市区町村の窓口で更新してください。</translation>
    </message>
    <message>
        <source>How would you like to confirm your identity?</source>
        <translation>本人確認の方法を選んでください</translation>
    </message>
    <message>
        <source>Choose face recognition or your 4-digit PIN.</source>
        <translation>顔認証か、4桁の暗証番号を選んでください。</translation>
    </message>
    <message>
        <source>Reading the front of your card…</source>
        <translation>カードの表面を読み取っています…</translation>
    </message>
    <message>
        <source>Leave the card face up on the reader.</source>
        <translation>カードは表を上にしたまま置いておいてください。</translation>
    </message>
    <message>
        <source>Reading the photo on your card…</source>
        <translation>カードの顔写真を読み取っています…</translation>
    </message>
    <message>
        <source>Please look at the camera</source>
        <translation>カメラの方を向いてください</translation>
    </message>
    <message>
        <source>Keep your face inside the frame.</source>
        <translation>顔を枠の中に入れてください。</translation>
    </message>
    <message>
        <source>Face recognition did not succeed</source>
        <translation>顔認証ができませんでした</translation>
    </message>
    <message>
        <source>You can try again, or use your PIN.</source>
        <translation>もう一度試すか、暗証番号をご利用ください。</translation>
    </message>
    <message>
        <source>Face recognition cannot be used</source>
        <translation>顔認証はご利用いただけません</translation>
    </message>
    <message>
        <source>Please use your PIN or ask a member of staff.</source>
        <translation>暗証番号をご利用になるか、職員にお声がけください。</translation>
    </message>
    <message>
        <source>This is your last PIN attempt</source>
        <translation>暗証番号の入力は残り1回です</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, it will be locked and can only be reset at your municipal office.</source>
        <translation>次に間違えると暗証番号がロックされ、お住まいの市区町村の窓口で再設定が必要になります。</translation>
    </message>
    <message>
        <source>Enter your 4-digit PIN</source>
        <translation>4桁の暗証番号を入力してください</translation>
    </message>
    <message>
        <source>Shield the keypad with your hand.</source>
        <translation>手で隠しながら入力してください。</translation>
    </message>
    <message>
        <source>Checking your PIN…</source>
        <translation>暗証番号を確認しています…</translation>
    </message>
    <message>
        <source>The PIN is not correct</source>
        <translation>暗証番号が違います</translation>
    </message>
    <message>
        <source>To enter the PIN again, press Try again.</source>
        <translation>入力し直す場合は「もう一度」を押してください。</translation>
    </message>
    <message>
        <source>Your PIN is locked</source>
        <translation>暗証番号がロックされています</translation>
    </message>
    <message>
        <source>It can be reset at your municipal office. Face recognition can still be used today.</source>
        <translation>お住まいの市区町村の窓口で再設定できます。顔認証は引き続きご利用いただけます。</translation>
    </message>
    <message>
        <source>Please ask a member of staff</source>
        <translation>職員にお声がけください</translation>
    </message>
    <message>
        <source>A member of staff will compare you with the photo on your card.</source>
        <translation>職員がカードの顔写真とご本人を確認します。</translation>
    </message>
    <message>
        <source>Staff visual check</source>
        <translation>職員による目視確認</translation>
    </message>
    <message>
        <source>Staff: compare the photo printed on the card with the patient. Confirm only if they match.</source>
        <translation>職員の方へ：券面の顔写真とご本人を見比べ、一致する場合のみ確認してください。</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>同意の確認</translation>
    </message>
    <message>
        <source>Confirming your eligibility…</source>
        <translation>資格を確認しています…</translation>
    </message>
    <message>
        <source>Please wait a moment.</source>
        <translation>少々お待ちください。</translation>
    </message>
    <message>
        <source>Reception could not be completed</source>
        <translation>受付を完了できませんでした</translation>
    </message>
    <message>
        <source>Reception complete. Please take your card.</source>
        <translation>受付が完了しました。カードをお取りください。</translation>
    </message>
    <message>
        <source>Thank you. Please wait to be called.</source>
        <translation>ありがとうございました。お呼びするまでお待ちください。</translation>
    </message>
    <message>
        <source>Please take your card</source>
        <translation>カードをお取りください</translation>
    </message>
    <message>
        <source>The reception was not completed.</source>
        <translation>受付は完了していません。</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>職員用暗証番号</translation>
    </message>
    <message>
        <source>Staff panel</source>
        <translation>職員メニュー</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>自己診断</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>エラーが発生しました。</translation>
    </message>
    <message>
        <source>This took too long.</source>
        <translation>時間がかかりすぎました。</translation>
    </message>
    <message>
        <source>There was no input for a while, so the reception was stopped.</source>
        <translation>しばらく操作がなかったため、受付を中止しました。</translation>
    </message>
    <message>
        <source>The reception was cancelled.</source>
        <translation>受付を中止しました。</translation>
    </message>
    <message>
        <source>The staff check did not confirm the card holder.</source>
        <translation>職員の確認でご本人と確認できませんでした。</translation>
    </message>
    <message>
        <source>Please use a My Number card.</source>
        <translation>マイナンバーカードをご利用ください。</translation>
    </message>
    <message>
        <source>The card could not be read. Please place it again.</source>
        <translation>カードを読み取れませんでした。置き直してください。</translation>
    </message>
    <message>
        <source>The card was removed.</source>
        <translation>カードが取り外されました。</translation>
    </message>
    <message>
        <source>The card gave an unexpected answer.</source>
        <translation>カードから正しい応答がありませんでした。</translation>
    </message>
    <message>
        <source>No card reader was found.</source>
        <translation>カードリーダーが見つかりません。</translation>
    </message>
    <message>
        <source>The front of the card could not be read. Place it face up and try again.</source>
        <translation>カードの表面を読み取れませんでした。表を上にして置き直し、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The card face was read incorrectly.</source>
        <translation>カード表面の読み取りに誤りがありました。</translation>
    </message>
    <message>
        <source>The photo on this card cannot be read.</source>
        <translation>このカードの顔写真は読み出せません。</translation>
    </message>
    <message>
        <source>The photo on this card is protected after several failed reads; face recognition is not used.</source>
        <translation>読み取りの失敗が続いたため、このカードの顔写真は保護されています。顔認証はご利用いただけません。</translation>
    </message>
    <message>
        <source>The photo on the card cannot be used for matching.</source>
        <translation>カードの顔写真を照合に使えません。</translation>
    </message>
    <message>
        <source>The camera is not available.</source>
        <translation>カメラが使えません。</translation>
    </message>
    <message>
        <source>Your face could not be matched with the card photo.</source>
        <translation>カードの顔写真と照合できませんでした。</translation>
    </message>
    <message>
        <source>The live check did not succeed.</source>
        <translation>本人の動きを確認できませんでした。</translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>暗証番号が違います。</translation>
    </message>
    <message>
        <source>The PIN is locked.</source>
        <translation>暗証番号がロックされています。</translation>
    </message>
    <message>
        <source>This card has no PIN (face-authentication card).</source>
        <translation>このカードには暗証番号が設定されていません（顔認証マイナンバーカード）。</translation>
    </message>
    <message>
        <source>Please enter 4 digits.</source>
        <translation>4桁の数字を入力してください。</translation>
    </message>
    <message>
        <source>The verification service cannot be reached.</source>
        <translation>資格確認システムに接続できません。</translation>
    </message>
    <message>
        <source>The verification service did not answer in time.</source>
        <translation>資格確認システムから応答がありません。</translation>
    </message>
    <message>
        <source>The verification service could not confirm this card.</source>
        <translation>資格確認システムでこのカードの資格を確認できませんでした。</translation>
    </message>
    <message>
        <source>The card was removed, so the reception was stopped.</source>
        <translation>カードが取り外されたため、受付を中止しました。</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <translation>ありがとうございました。</translation>
    </message>
    <message>
        <source>Staff visual check is on for the next patient.</source>
        <translation>次の方は職員による目視確認です。</translation>
    </message>
    <message>
        <source>Staff visual check is off.</source>
        <translation>目視確認モードはオフです。</translation>
    </message>
    <message>
        <source>Staff will confirm your eligibility. Please wait to be called.</source>
        <translation>資格の確認は職員が行います。お呼びするまでお待ちください。</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>ただいまこの受付機はご利用いただけません</translation>
    </message>
    <message>
        <source>Staff have been told on the staff panel.</source>
        <translation>職員用画面で職員に通知しました。</translation>
    </message>
    <message>
        <source>Your reception has been recorded. Please take your card.</source>
        <translation>受付内容を記録しました。カードをお取りください。</translation>
    </message>
    <message>
        <source>Wrong staff PIN. {n} tries left.</source>
        <translation>職員用暗証番号が違います。残り{n}回です。</translation>
    </message>
    <message>
        <source>Staff PIN locked. Try again in {n} seconds.</source>
        <translation>職員用暗証番号がロックされました。{n}秒後にお試しください。</translation>
    </message>
    <message>
        <source>Your card is still on the reader!</source>
        <translation>カードが置かれたままです。お取りください。</translation>
    </message>
    <message>
        <source>Please hold still.</source>
        <translation>そのまま動かずにお待ちください。</translation>
    </message>
    <message>
        <source>Please look at the camera.</source>
        <translation>カメラに顔を向けてください。</translation>
    </message>
    <message>
        <source>One person at a time, please.</source>
        <translation>お一人ずつカメラの前にお立ちください。</translation>
    </message>
    <message>
        <source>Please come a little closer.</source>
        <translation>もう少し近づいてください。</translation>
    </message>
    <message>
        <source>Please move back a little.</source>
        <translation>少し離れてください。</translation>
    </message>
    <message>
        <source>Please move your face to the centre.</source>
        <translation>顔を枠の中央に合わせてください。</translation>
    </message>
    <message>
        <source>Please face the camera straight on.</source>
        <translation>カメラに正面を向けてください。</translation>
    </message>
    <message>
        <source>It is too dark here.</source>
        <translation>暗すぎます。</translation>
    </message>
    <message>
        <source>There is too much light behind you.</source>
        <translation>後ろからの光が強すぎます。</translation>
    </message>
    <message>
        <source>Please open your eyes.</source>
        <translation>目を開けてください。</translation>
    </message>
    <message>
        <source>Please take off your mask.</source>
        <translation>マスクを外してください。</translation>
    </message>
    <message>
        <source>Please take off your hat.</source>
        <translation>帽子を外してください。</translation>
    </message>
    <message>
        <source>Please blink.</source>
        <translation>まばたきをしてください。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left.</source>
        <translation>顔をゆっくり左に向けてください。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right.</source>
        <translation>顔をゆっくり右に向けてください。</translation>
    </message>
    <message>
        <source>Please nod slowly.</source>
        <translation>ゆっくりうなずいてください。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>次へ</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>中止する</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登録する</translation>
    </message>
    <message>
        <source>Face recognition</source>
        <translation>顔認証</translation>
    </message>
    <message>
        <source>PIN (4 digits)</source>
        <translation>暗証番号（4桁）</translation>
    </message>
    <message>
        <source>Ask staff</source>
        <translation>職員を呼ぶ</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>もう一度</translation>
    </message>
    <message>
        <source>I understand, enter the PIN</source>
        <translation>暗証番号を入力する</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>大きな文字</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>職員用</translation>
    </message>
    <message>
        <source>Visual check for next patient</source>
        <translation>次の方を目視確認にする</translation>
    </message>
    <message>
        <source>Turn visual check off</source>
        <translation>目視確認を解除</translation>
    </message>
    <message>
        <source>Self-test and counts</source>
        <translation>自己診断と件数</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Same person: confirm</source>
        <translation>本人と一致する</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>本人と一致しない</translation>
    </message>
    <message>
        <source>Agree to all</source>
        <translation>まとめて同意する</translation>
    </message>
    <message>
        <source>Choose item by item</source>
        <translation>個別に選ぶ</translation>
    </message>
    <message>
        <source>Agree</source>
        <translation>同意する</translation>
    </message>
    <message>
        <source>Do not agree</source>
        <translation>同意しない</translation>
    </message>
    <message>
        <source>Provide</source>
        <translation>提供する</translation>
    </message>
    <message>
        <source>Do not provide</source>
        <translation>提供しない</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Electronic prescription</source>
        <translation>電子処方箋</translation>
    </message>
    <message>
        <source>Paper prescription</source>
        <translation>紙の処方箋</translation>
    </message>
    <message>
        <source>Card reader</source>
        <translation>カードリーダー</translation>
    </message>
    <message>
        <source>Card-face camera</source>
        <translation>券面カメラ</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>カメラ</translation>
    </message>
    <message>
        <source>Verification service</source>
        <translation>資格確認システム</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>送信待ち</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <source>Last errors</source>
        <translation>最近のエラー</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>顔認証</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>暗証番号</translation>
    </message>
    <message>
        <source>Visual check</source>
        <translation>目視確認</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>音声あり</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>音声なし</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>職員</translation>
    </message>
    <message>
        <source>Tries left: {n}</source>
        <translation>残り回数：{n}回</translation>
    </message>
    <message>
        <source>Expiry date: {date}</source>
        <translation>有効期限：{date}</translation>
    </message>
    <message>
        <source>Running the self-test…</source>
        <translation>自己診断を実行しています…</translation>
    </message>
    <message>
        <source>No card is on the reader. Please place your My Number card.</source>
        <translation>カードが置かれていません。マイナンバーカードを置いてください。</translation>
    </message>
    <message>
        <source>The reception could not be saved. Please ask a member of staff.</source>
        <translation>受付内容を保存できませんでした。職員にお声がけください。</translation>
    </message>
    <message>
        <source>The kiosk is not configured correctly. Please ask a member of staff.</source>
        <translation>設定に誤りがあります。職員にお声がけください。</translation>
    </message>
    <message>
        <source>Your identity has been confirmed.</source>
        <translation>ご本人であることを確認しました。</translation>
    </message>
    <message>
        <source>Please try once more.</source>
        <translation>もう一度お試しください。</translation>
    </message>
    <message>
        <source>Face check did not confirm you. Please use your PIN or ask staff to check.</source>
        <translation>顔認証で確認できませんでした。暗証番号か職員による確認をご利用ください。</translation>
    </message>
    <message>
        <source>We could not confirm this. Please use your PIN or ask staff to check.</source>
        <translation>確認できませんでした。暗証番号か職員による確認をご利用ください。</translation>
    </message>
    <message>
        <source>Your face could not be captured. Please use your PIN or ask staff to check.</source>
        <translation>顔をうまく撮影できませんでした。暗証番号か職員による確認をご利用ください。</translation>
    </message>
    <message>
        <source>Refused results held</source>
        <translation>送信を拒否された受付結果</translation>
    </message>
    <message>
        <source>The card did not answer. Please place it again.</source>
        <translation>カードから応答がありませんでした。カードを置き直してください。</translation>
    </message>
    <message>
        <source>The card's data could not be verified. Please use your PIN or ask staff to check.</source>
        <translation>カードの情報を確認できませんでした。暗証番号か職員による確認をご利用ください。</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>ディスク</translation>
    </message>
    <message>
        <source>Face camera</source>
        <translation>顔認証カメラ</translation>
    </message>
    <message>
        <source>Staff: compare the photo read from the card's chip with the patient. Confirm only if they match.</source>
        <translation>職員の方へ：ICチップから読み取った顔写真とご本人を見比べ、同じ方の場合のみ確認してください。</translation>
    </message>
    <message>
        <source>The chip gives the name only with the patient's PIN: read it on the card.</source>
        <translation>氏名はご本人の暗証番号がないとICチップから読み取れません。カードの券面でご確認ください。</translation>
    </message>
    <message>
        <source>Enter the staff PIN to confirm that this is the same person.</source>
        <translation>本人であることを確認するには、職員用暗証番号を入力してください。</translation>
    </message>
    <message>
        <source>Enter the staff PIN to record that this is not the same person.</source>
        <translation>本人ではないことを記録するには、職員用暗証番号を入力してください。</translation>
    </message>
    <message>
        <source>Calling staff…</source>
        <translation>職員を呼んでいます…</translation>
    </message>
    <message>
        <source>Staff have been called. Please wait here.</source>
        <translation>職員を呼びました。この場でお待ちください。</translation>
    </message>
    <message>
        <source>The call did not reach staff. Please ask at the reception desk.</source>
        <translation>職員に連絡できませんでした。受付窓口にお声がけください。</translation>
    </message>
    <message>
        <source>Do you want to continue?</source>
        <translation>まだ続けますか？</translation>
    </message>
    <message>
        <source>If there is no answer, the reception stops when the time runs out.</source>
        <translation>操作がない場合は、時間になると受付を中止します。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続ける</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>Question {k} of {n}</source>
        <translation>{n}問中{k}問目</translation>
    </message>
    <message>
        <source>You agreed to share: {items}</source>
        <translation>提供に同意した情報：{items}</translation>
    </message>
    <message>
        <source>You did not agree to share: {items}</source>
        <translation>提供に同意しなかった情報：{items}</translation>
    </message>
    <message>
        <source>This card's electronic certificate has been revoked. It cannot be used here today.</source>
        <translation>このカードの電子証明書は失効しています。本日はこちらでご利用いただけません。</translation>
    </message>
    <message>
        <source>Voice guide</source>
        <translation>音声案内</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>要確認</translation>
    </message>
    <message>
        <source>None today</source>
        <translation>本日はありません</translation>
    </message>
    <message>
        <source>Internal error (see the kiosk log)</source>
        <translation>内部エラー（端末のログを参照）</translation>
    </message>
    <message>
        <source>Face models</source>
        <translation>顔認証モデル</translation>
    </message>
    <message>
        <source>Which smartphone do you use?</source>
        <translation>お使いのスマートフォンを選んでください</translation>
    </message>
    <message>
        <source>Android: enter the PIN here first. iPhone: no PIN here.</source>
        <translation>Android:先にこの画面で暗証番号を入力します。iPhone:ここでの暗証番号の入力は不要です。</translation>
    </message>
    <message>
        <source>Enter the 4-digit PIN of your smartphone certificate</source>
        <translation>スマートフォンの電子証明書の暗証番号(数字4桁)を入力してください</translation>
    </message>
    <message>
        <source>Then hold your smartphone over the smartphone reader.</source>
        <translation>そのあと、スマートフォンをスマートフォン用の読み取り機にかざしてください。</translation>
    </message>
    <message>
        <source>Hold your smartphone over the smartphone reader</source>
        <translation>スマートフォンをスマートフォン用の読み取り機にかざしてください</translation>
    </message>
    <message>
        <source>iPhone: confirm with Face ID or Touch ID on the phone first.</source>
        <translation>iPhoneの方は、先にiPhoneでFace IDまたはTouch IDによる認証をしてください。</translation>
    </message>
    <message>
        <source>Keep it still for 1–2 seconds.</source>
        <translation>1〜2秒そのままにしてください。</translation>
    </message>
    <message>
        <source>Reading your smartphone…</source>
        <translation>スマートフォンを読み取っています…</translation>
    </message>
    <message>
        <source>Please keep the smartphone on the reader.</source>
        <translation>スマートフォンを読み取り機から離さないでください。</translation>
    </message>
    <message>
        <source>This is the last PIN attempt for your smartphone</source>
        <translation>スマートフォンの暗証番号を入力できるのは、あと1回です</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, the certificate on your smartphone will be locked.</source>
        <translation>もう一度間違えると、スマートフォンの電子証明書がロックされます。</translation>
    </message>
    <message>
        <source>The certificate on your smartphone cannot be used</source>
        <translation>スマートフォンの電子証明書は使えません</translation>
    </message>
    <message>
        <source>Please use your My Number card on the card reader.</source>
        <translation>マイナンバーカードをカード読み取り機でお使いください。</translation>
    </message>
    <message>
        <source>The certificate on your smartphone has expired. Please use your My Number card instead.</source>
        <translation>スマートフォンの電子証明書の有効期限が切れています。マイナンバーカードをお使いください。</translation>
    </message>
    <message>
        <source>Please hold your smartphone over the smartphone reader.</source>
        <translation>スマートフォンはスマートフォン用の読み取り機にかざしてください。</translation>
    </message>
    <message>
        <source>Please place your My Number card on the card reader.</source>
        <translation>マイナンバーカードはカード読み取り機に置いてください。</translation>
    </message>
    <message>
        <source>The smartphone moved away before it was read. Please hold it again.</source>
        <translation>読み取りの途中でスマートフォンが離れました。もう一度かざしてください。</translation>
    </message>
    <message>
        <source>Your smartphone is still on the reader!</source>
        <translation>スマートフォンが読み取り機に置いたままです!</translation>
    </message>
    <message>
        <source>Smartphone</source>
        <translation>スマートフォン</translation>
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
        <translation>スマートフォン(Android)</translation>
    </message>
    <message>
        <source>Smartphone (iPhone)</source>
        <translation>スマートフォン(iPhone)</translation>
    </message>
    <message>
        <source>Smartphone reader</source>
        <translation>スマートフォン用読み取り機</translation>
    </message>
    <message>
        <source>Reception complete.</source>
        <translation>受付が完了しました。</translation>
    </message>
    <message>
        <source>Your reception has been recorded.</source>
        <translation>受付内容を記録しました。</translation>
    </message>
    <message>
        <source>The reception was not completed</source>
        <translation>受付は完了していません</translation>
    </message>
    <message>
        <source>The smartphone could not be read</source>
        <translation>スマートフォンを読み取れませんでした</translation>
    </message>
    <message>
        <source>Please use your My Number card, or ask a member of staff.</source>
        <translation>マイナンバーカードをお使いいただくか、職員にお声がけください。</translation>
    </message>
    <message>
        <source>If nothing happens, turn on NFC in the phone's settings.</source>
        <translation>反応がない場合は、スマートフォンの設定でNFCをオンにしてください。</translation>
    </message>
</context>
</TS>
