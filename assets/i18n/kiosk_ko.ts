<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>kiosk</name>
    <message>
        <source>Please place your My Number card on the reader</source>
        <translation>마이넘버 카드를 리더기에 올려 주세요</translation>
    </message>
    <message>
        <source>Take the card out of its case and lay it face up.</source>
        <translation>카드를 케이스에서 꺼내 앞면이 위로 오게 놓아 주세요.</translation>
    </message>
    <message>
        <source>Reading your card…</source>
        <translation>카드를 읽고 있습니다…</translation>
    </message>
    <message>
        <source>Please leave the card on the reader.</source>
        <translation>카드를 그대로 두세요.</translation>
    </message>
    <message>
        <source>This card cannot be used</source>
        <translation>이 카드는 사용할 수 없습니다</translation>
    </message>
    <message>
        <source>Please take your card.</source>
        <translation>카드를 챙겨 주세요.</translation>
    </message>
    <message>
        <source>The card could not be read</source>
        <translation>카드를 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>Please take your card and ask a member of staff.</source>
        <translation>카드를 챙기신 후 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>The certificate on your card has expired</source>
        <translation>카드의 전자증명서가 만료되었습니다</translation>
    </message>
    <message>
        <source>It expired more than 3 months ago. Please renew it at your municipal office.</source>
        <translation>만료된 지 3개월 이상 지났습니다. 거주지 시청·구청 등의 창구에서 갱신해 주세요.</translation>
    </message>
    <message>
        <source>Your card is not registered for health insurance use</source>
        <translation>이 카드는 건강보험증 이용 등록이 되어 있지 않습니다</translation>
    </message>
    <message>
        <source>You can register it now. Registration needs your 4-digit PIN.</source>
        <translation>지금 이 자리에서 건강보험증 이용 등록을 할 수 있습니다. 등록에는 4자리 비밀번호가 필요합니다.</translation>
    </message>
    <message>
        <source>Your certificate expires soon</source>
        <translation>전자증명서 만료일이 다가오고 있습니다</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office before it expires.</source>
        <translation>만료되기 전에 거주지 시청·구청 등의 창구에서 갱신해 주세요.</translation>
    </message>
    <message>
        <source>Your certificate has expired</source>
        <translation>전자증명서가 만료되었습니다</translation>
    </message>
    <message>
        <source>For 3 months after expiry only your eligibility can be confirmed; medical information is not shared.</source>
        <translation>만료 후 3개월 동안은 자격 확인만 가능하며 의료 정보는 제공되지 않습니다.</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office.</source>
        <translation>거주지 시청·구청 등의 창구에서 갱신해 주세요.</translation>
    </message>
    <message>
        <source>How would you like to confirm your identity?</source>
        <translation>본인 확인 방법을 선택해 주세요</translation>
    </message>
    <message>
        <source>Choose face recognition or your 4-digit PIN.</source>
        <translation>얼굴 인증 또는 4자리 비밀번호를 선택해 주세요.</translation>
    </message>
    <message>
        <source>Reading the front of your card…</source>
        <translation>카드 앞면을 읽고 있습니다…</translation>
    </message>
    <message>
        <source>Leave the card face up on the reader.</source>
        <translation>카드 앞면이 위로 오게 그대로 두세요.</translation>
    </message>
    <message>
        <source>Reading the photo on your card…</source>
        <translation>카드의 얼굴 사진을 읽고 있습니다…</translation>
    </message>
    <message>
        <source>Please look at the camera</source>
        <translation>카메라를 봐 주세요</translation>
    </message>
    <message>
        <source>Keep your face inside the frame.</source>
        <translation>얼굴을 틀 안에 맞춰 주세요.</translation>
    </message>
    <message>
        <source>Face recognition did not succeed</source>
        <translation>얼굴 인증에 실패했습니다</translation>
    </message>
    <message>
        <source>You can try again, or use your PIN.</source>
        <translation>다시 시도하거나 비밀번호를 이용해 주세요.</translation>
    </message>
    <message>
        <source>Face recognition cannot be used</source>
        <translation>얼굴 인증을 이용할 수 없습니다</translation>
    </message>
    <message>
        <source>Please use your PIN or ask a member of staff.</source>
        <translation>비밀번호를 이용하시거나 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>This is your last PIN attempt</source>
        <translation>비밀번호 입력이 1회 남았습니다</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, it will be locked and can only be reset at your municipal office.</source>
        <translation>한 번 더 틀리면 비밀번호가 잠기며, 거주지 시청·구청 등의 창구에서만 재설정할 수 있습니다.</translation>
    </message>
    <message>
        <source>Enter your 4-digit PIN</source>
        <translation>4자리 비밀번호를 입력해 주세요</translation>
    </message>
    <message>
        <source>Shield the keypad with your hand.</source>
        <translation>손으로 가리면서 입력해 주세요.</translation>
    </message>
    <message>
        <source>Checking your PIN…</source>
        <translation>비밀번호를 확인하고 있습니다…</translation>
    </message>
    <message>
        <source>The PIN is not correct</source>
        <translation>비밀번호가 틀렸습니다</translation>
    </message>
    <message>
        <source>To enter the PIN again, press Try again.</source>
        <translation>다시 입력하려면 '다시 시도'를 눌러 주세요.</translation>
    </message>
    <message>
        <source>Your PIN is locked</source>
        <translation>비밀번호가 잠겼습니다</translation>
    </message>
    <message>
        <source>It can be reset at your municipal office. Face recognition can still be used today.</source>
        <translation>거주지 시청·구청 등의 창구에서 재설정할 수 있습니다. 오늘은 얼굴 인증을 계속 이용할 수 있습니다.</translation>
    </message>
    <message>
        <source>Please ask a member of staff</source>
        <translation>직원에게 문의해 주세요</translation>
    </message>
    <message>
        <source>A member of staff will compare you with the photo on your card.</source>
        <translation>직원이 카드 사진과 본인을 확인합니다.</translation>
    </message>
    <message>
        <source>Staff visual check</source>
        <translation>직원 육안 확인</translation>
    </message>
    <message>
        <source>Staff: compare the photo printed on the card with the patient. Confirm only if they match.</source>
        <translation>직원: 카드에 인쇄된 사진과 본인을 비교하고 일치할 때만 확인해 주세요.</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>동의 확인</translation>
    </message>
    <message>
        <source>Confirming your eligibility…</source>
        <translation>자격을 확인하고 있습니다…</translation>
    </message>
    <message>
        <source>Please wait a moment.</source>
        <translation>잠시 기다려 주세요.</translation>
    </message>
    <message>
        <source>Reception could not be completed</source>
        <translation>접수를 완료하지 못했습니다</translation>
    </message>
    <message>
        <source>Reception complete. Please take your card.</source>
        <translation>접수가 완료되었습니다. 카드를 챙겨 주세요.</translation>
    </message>
    <message>
        <source>Thank you. Please wait to be called.</source>
        <translation>감사합니다. 호명할 때까지 기다려 주세요.</translation>
    </message>
    <message>
        <source>Please take your card</source>
        <translation>카드를 챙겨 주세요</translation>
    </message>
    <message>
        <source>The reception was not completed.</source>
        <translation>접수가 완료되지 않았습니다.</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>직원용 비밀번호</translation>
    </message>
    <message>
        <source>Staff panel</source>
        <translation>직원 메뉴</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>자가 진단</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>오류가 발생했습니다.</translation>
    </message>
    <message>
        <source>This took too long.</source>
        <translation>시간이 너무 오래 걸렸습니다.</translation>
    </message>
    <message>
        <source>There was no input for a while, so the reception was stopped.</source>
        <translation>한동안 조작이 없어 접수를 중지했습니다.</translation>
    </message>
    <message>
        <source>The reception was cancelled.</source>
        <translation>접수를 취소했습니다.</translation>
    </message>
    <message>
        <source>The staff check did not confirm the card holder.</source>
        <translation>직원 확인에서 본인으로 확인되지 않았습니다.</translation>
    </message>
    <message>
        <source>Please use a My Number card.</source>
        <translation>마이넘버 카드를 이용해 주세요.</translation>
    </message>
    <message>
        <source>The card could not be read. Please place it again.</source>
        <translation>카드를 읽을 수 없습니다. 다시 올려 주세요.</translation>
    </message>
    <message>
        <source>The card was removed.</source>
        <translation>카드가 분리되었습니다.</translation>
    </message>
    <message>
        <source>The card gave an unexpected answer.</source>
        <translation>카드에서 예상하지 못한 응답이 왔습니다.</translation>
    </message>
    <message>
        <source>No card reader was found.</source>
        <translation>카드 리더기를 찾을 수 없습니다.</translation>
    </message>
    <message>
        <source>The front of the card could not be read. Place it face up and try again.</source>
        <translation>카드 앞면을 읽을 수 없습니다. 앞면이 위로 오게 다시 놓고 시도해 주세요.</translation>
    </message>
    <message>
        <source>The card face was read incorrectly.</source>
        <translation>카드 앞면 판독 결과가 맞지 않습니다.</translation>
    </message>
    <message>
        <source>The photo on this card cannot be read.</source>
        <translation>이 카드의 사진을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>The photo on this card is protected after several failed reads; face recognition is not used.</source>
        <translation>읽기에 여러 번 실패하여 이 카드의 사진은 보호되어 있습니다. 얼굴 인증은 이용할 수 없습니다.</translation>
    </message>
    <message>
        <source>The photo on the card cannot be used for matching.</source>
        <translation>카드 사진을 대조에 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>The camera is not available.</source>
        <translation>카메라를 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>Your face could not be matched with the card photo.</source>
        <translation>카드 사진과 일치하지 않았습니다.</translation>
    </message>
    <message>
        <source>The live check did not succeed.</source>
        <translation>생체 확인에 실패했습니다.</translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>비밀번호가 틀렸습니다.</translation>
    </message>
    <message>
        <source>The PIN is locked.</source>
        <translation>비밀번호가 잠겼습니다.</translation>
    </message>
    <message>
        <source>This card has no PIN (face-authentication card).</source>
        <translation>이 카드에는 비밀번호가 없습니다(얼굴 인증 마이넘버 카드).</translation>
    </message>
    <message>
        <source>Please enter 4 digits.</source>
        <translation>4자리 숫자를 입력해 주세요.</translation>
    </message>
    <message>
        <source>The verification service cannot be reached.</source>
        <translation>자격 확인 시스템에 연결할 수 없습니다.</translation>
    </message>
    <message>
        <source>The verification service did not answer in time.</source>
        <translation>자격 확인 시스템에서 응답이 없습니다.</translation>
    </message>
    <message>
        <source>The verification service could not confirm this card.</source>
        <translation>자격 확인 시스템에서 이 카드의 자격을 확인하지 못했습니다.</translation>
    </message>
    <message>
        <source>The card was removed, so the reception was stopped.</source>
        <translation>카드가 분리되어 접수를 중지했습니다.</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <translation>감사합니다.</translation>
    </message>
    <message>
        <source>Staff visual check is on for the next patient.</source>
        <translation>다음 분은 직원 육안 확인입니다.</translation>
    </message>
    <message>
        <source>Staff visual check is off.</source>
        <translation>육안 확인 모드가 꺼져 있습니다.</translation>
    </message>
    <message>
        <source>Staff will confirm your eligibility. Please wait to be called.</source>
        <translation>직원이 자격을 확인해 드립니다. 호출할 때까지 기다려 주십시오.</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>이 접수기는 현재 사용할 수 없습니다</translation>
    </message>
    <message>
        <source>Staff have been told on the staff panel.</source>
        <translation>직원 화면으로 직원에게 알렸습니다.</translation>
    </message>
    <message>
        <source>Your reception has been recorded. Please take your card.</source>
        <translation>접수가 기록되었습니다. 카드를 가져가 주십시오.</translation>
    </message>
    <message>
        <source>Wrong staff PIN. {n} tries left.</source>
        <translation>직원용 비밀번호가 틀렸습니다. {n}회 남았습니다.</translation>
    </message>
    <message>
        <source>Staff PIN locked. Try again in {n} seconds.</source>
        <translation>직원용 비밀번호가 잠겼습니다. {n}초 후에 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Your card is still on the reader!</source>
        <translation>카드가 아직 리더기 위에 있습니다. 카드를 챙겨 주세요.</translation>
    </message>
    <message>
        <source>Please hold still.</source>
        <translation>움직이지 말고 그대로 계세요.</translation>
    </message>
    <message>
        <source>Please look at the camera.</source>
        <translation>카메라를 봐 주세요.</translation>
    </message>
    <message>
        <source>One person at a time, please.</source>
        <translation>한 분씩 카메라 앞에 서 주세요.</translation>
    </message>
    <message>
        <source>Please come a little closer.</source>
        <translation>조금 더 가까이 와 주세요.</translation>
    </message>
    <message>
        <source>Please move back a little.</source>
        <translation>조금 뒤로 물러나 주세요.</translation>
    </message>
    <message>
        <source>Please move your face to the centre.</source>
        <translation>얼굴을 가운데로 맞춰 주세요.</translation>
    </message>
    <message>
        <source>Please face the camera straight on.</source>
        <translation>카메라를 정면으로 봐 주세요.</translation>
    </message>
    <message>
        <source>It is too dark here.</source>
        <translation>너무 어둡습니다.</translation>
    </message>
    <message>
        <source>There is too much light behind you.</source>
        <translation>뒤쪽 빛이 너무 강합니다.</translation>
    </message>
    <message>
        <source>Please open your eyes.</source>
        <translation>눈을 떠 주세요.</translation>
    </message>
    <message>
        <source>Please take off your mask.</source>
        <translation>마스크를 벗어 주세요.</translation>
    </message>
    <message>
        <source>Please take off your hat.</source>
        <translation>모자를 벗어 주세요.</translation>
    </message>
    <message>
        <source>Please blink.</source>
        <translation>눈을 깜빡여 주세요.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left.</source>
        <translation>천천히 고개를 왼쪽으로 돌려 주세요.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right.</source>
        <translation>천천히 고개를 오른쪽으로 돌려 주세요.</translation>
    </message>
    <message>
        <source>Please nod slowly.</source>
        <translation>천천히 고개를 끄덕여 주세요.</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>등록하기</translation>
    </message>
    <message>
        <source>Face recognition</source>
        <translation>얼굴 인증</translation>
    </message>
    <message>
        <source>PIN (4 digits)</source>
        <translation>비밀번호(4자리)</translation>
    </message>
    <message>
        <source>Ask staff</source>
        <translation>직원 호출</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>I understand, enter the PIN</source>
        <translation>비밀번호 입력</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>음성</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>큰 글씨</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>직원 전용</translation>
    </message>
    <message>
        <source>Visual check for next patient</source>
        <translation>다음 분을 육안 확인으로</translation>
    </message>
    <message>
        <source>Turn visual check off</source>
        <translation>육안 확인 해제</translation>
    </message>
    <message>
        <source>Self-test and counts</source>
        <translation>자가 진단과 건수</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Same person: confirm</source>
        <translation>본인과 일치</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>본인과 불일치</translation>
    </message>
    <message>
        <source>Agree to all</source>
        <translation>모두 동의</translation>
    </message>
    <message>
        <source>Choose item by item</source>
        <translation>항목별로 선택</translation>
    </message>
    <message>
        <source>Agree</source>
        <translation>동의함</translation>
    </message>
    <message>
        <source>Do not agree</source>
        <translation>동의하지 않음</translation>
    </message>
    <message>
        <source>Provide</source>
        <translation>제공함</translation>
    </message>
    <message>
        <source>Do not provide</source>
        <translation>제공하지 않음</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Electronic prescription</source>
        <translation>전자 처방전</translation>
    </message>
    <message>
        <source>Paper prescription</source>
        <translation>종이 처방전</translation>
    </message>
    <message>
        <source>Card reader</source>
        <translation>카드 리더기</translation>
    </message>
    <message>
        <source>Card-face camera</source>
        <translation>카드면 카메라</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>Verification service</source>
        <translation>자격 확인 시스템</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>전송 대기</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>버전</translation>
    </message>
    <message>
        <source>Last errors</source>
        <translation>최근 오류</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>오늘</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>얼굴 인증 카메라</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>비밀번호</translation>
    </message>
    <message>
        <source>Visual check</source>
        <translation>육안 확인</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>음성 켜짐</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>음성 꺼짐</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>직원</translation>
    </message>
    <message>
        <source>Tries left: {n}</source>
        <translation>남은 횟수: {n}회</translation>
    </message>
    <message>
        <source>Expiry date: {date}</source>
        <translation>만료일: {date}</translation>
    </message>
    <message>
        <source>Running the self-test…</source>
        <translation>자가 진단 중…</translation>
    </message>
    <message>
        <source>No card is on the reader. Please place your My Number card.</source>
        <translation>리더기에 카드가 없습니다. 마이넘버 카드를 올려 주세요.</translation>
    </message>
    <message>
        <source>The reception could not be saved. Please ask a member of staff.</source>
        <translation>접수 내용을 저장하지 못했습니다. 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>The kiosk is not configured correctly. Please ask a member of staff.</source>
        <translation>키오스크 설정에 오류가 있습니다. 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>Your identity has been confirmed.</source>
        <translation>본인 확인이 완료되었습니다.</translation>
    </message>
    <message>
        <source>Please try once more.</source>
        <translation>한 번 더 시도해 주세요.</translation>
    </message>
    <message>
        <source>Face check did not confirm you. Please use your PIN or ask staff to check.</source>
        <translation>얼굴 인증으로 확인하지 못했습니다. 비밀번호를 이용하시거나 직원에게 확인을 요청해 주세요.</translation>
    </message>
    <message>
        <source>We could not confirm this. Please use your PIN or ask staff to check.</source>
        <translation>확인하지 못했습니다. 비밀번호를 이용하시거나 직원에게 확인을 요청해 주세요.</translation>
    </message>
    <message>
        <source>Your face could not be captured. Please use your PIN or ask staff to check.</source>
        <translation>얼굴을 제대로 촬영하지 못했습니다. 비밀번호를 이용하시거나 직원에게 확인을 요청해 주세요.</translation>
    </message>
    <message>
        <source>Refused results held</source>
        <translation>수신이</translation>
    </message>
    <message>
        <source>The card did not answer. Please place it again.</source>
        <translation>카드가 응답하지 않았습니다. 카드를 다시 올려 주십시오.</translation>
    </message>
    <message>
        <source>The card's data could not be verified. Please use your PIN or ask staff to check.</source>
        <translation>카드 정보를 확인할 수 없었습니다. 비밀번호를 입력하시거나 직원의 확인을 받아 주십시오.</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>디스크</translation>
    </message>
    <message>
        <source>Face camera</source>
        <translation>얼굴 인증 카메라</translation>
    </message>
    <message>
        <source>Staff: compare the photo read from the card's chip with the patient. Confirm only if they match.</source>
        <translation>직원용: 카드 칩에서 읽은 사진과 본인을 비교하고, 일치할 때만 확인하십시오.</translation>
    </message>
    <message>
        <source>The chip gives the name only with the patient's PIN: read it on the card.</source>
        <translation>본인의 비밀번호 없이는 칩에서 이름을 읽을 수 없습니다. 카드 앞면에서 확인하십시오.</translation>
    </message>
    <message>
        <source>Enter the staff PIN to confirm that this is the same person.</source>
        <translation>본인임을 확인하려면 직원용 비밀번호를 입력하십시오.</translation>
    </message>
    <message>
        <source>Enter the staff PIN to record that this is not the same person.</source>
        <translation>본인이 아님을 기록하려면 직원용 비밀번호를 입력하십시오.</translation>
    </message>
    <message>
        <source>Calling staff…</source>
        <translation>직원을 부르는 중입니다…</translation>
    </message>
    <message>
        <source>Staff have been called. Please wait here.</source>
        <translation>직원을 불렀습니다. 이곳에서 기다려 주십시오.</translation>
    </message>
    <message>
        <source>The call did not reach staff. Please ask at the reception desk.</source>
        <translation>직원에게 연락하지 못했습니다. 접수 창구에 문의해 주십시오.</translation>
    </message>
    <message>
        <source>Do you want to continue?</source>
        <translation>계속하시겠습니까?</translation>
    </message>
    <message>
        <source>If there is no answer, the reception stops when the time runs out.</source>
        <translation>조작이 없으면 시간이 지나면 접수를 중지합니다.</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>계속하기</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>뒤로</translation>
    </message>
    <message>
        <source>Question {k} of {n}</source>
        <translation>{n}문항 중 {k}번째</translation>
    </message>
    <message>
        <source>You agreed to share: {items}</source>
        <translation>제공에 동의한 정보: {items}</translation>
    </message>
    <message>
        <source>You did not agree to share: {items}</source>
        <translation>제공에 동의하지 않은 정보: {items}</translation>
    </message>
    <message>
        <source>This card's electronic certificate has been revoked. It cannot be used here today.</source>
        <translation>이 카드의 전자증명서는 효력이 상실되었습니다. 오늘은 이곳에서 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>Voice guide</source>
        <translation>음성 안내</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>확인 필요</translation>
    </message>
    <message>
        <source>None today</source>
        <translation>오늘은 없음</translation>
    </message>
    <message>
        <source>Internal error (see the kiosk log)</source>
        <translation>내부 오류(단말 로그 참조)</translation>
    </message>
    <message>
        <source>Face models</source>
        <translation>얼굴 인증 모델</translation>
    </message>
    <message>
        <source>Which smartphone do you use?</source>
        <translation>사용하시는 스마트폰을 선택해 주세요</translation>
    </message>
    <message>
        <source>Android: enter the PIN here first. iPhone: no PIN here.</source>
        <translation>Android: 먼저 여기에서 비밀번호를 입력합니다. iPhone: 여기에서 비밀번호를 입력하지 않습니다.</translation>
    </message>
    <message>
        <source>Enter the 4-digit PIN of your smartphone certificate</source>
        <translation>스마트폰 전자증명서의 4자리 비밀번호를 입력해 주세요</translation>
    </message>
    <message>
        <source>Then hold your smartphone over the smartphone reader.</source>
        <translation>그다음 스마트폰을 스마트폰용 리더기에 대 주세요.</translation>
    </message>
    <message>
        <source>Hold your smartphone over the smartphone reader</source>
        <translation>스마트폰을 스마트폰용 리더기에 대 주세요</translation>
    </message>
    <message>
        <source>iPhone: confirm with Face ID or Touch ID on the phone first.</source>
        <translation>iPhone은 먼저 휴대폰에서 Face ID 또는 Touch ID로 인증해 주세요.</translation>
    </message>
    <message>
        <source>Keep it still for 1–2 seconds.</source>
        <translation>1~2초 동안 그대로 두세요.</translation>
    </message>
    <message>
        <source>Reading your smartphone…</source>
        <translation>스마트폰을 읽고 있습니다…</translation>
    </message>
    <message>
        <source>Please keep the smartphone on the reader.</source>
        <translation>스마트폰을 리더기에서 떼지 마세요.</translation>
    </message>
    <message>
        <source>This is the last PIN attempt for your smartphone</source>
        <translation>스마트폰 비밀번호 입력은 마지막 1회입니다</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, the certificate on your smartphone will be locked.</source>
        <translation>한 번 더 틀리면 스마트폰의 전자증명서가 잠깁니다.</translation>
    </message>
    <message>
        <source>The certificate on your smartphone cannot be used</source>
        <translation>스마트폰의 전자증명서를 사용할 수 없습니다</translation>
    </message>
    <message>
        <source>Please use your My Number card on the card reader.</source>
        <translation>마이넘버카드를 카드 리더기에서 사용해 주세요.</translation>
    </message>
    <message>
        <source>The certificate on your smartphone has expired. Please use your My Number card instead.</source>
        <translation>스마트폰의 전자증명서 유효기간이 지났습니다. 마이넘버카드를 사용해 주세요.</translation>
    </message>
    <message>
        <source>Please hold your smartphone over the smartphone reader.</source>
        <translation>스마트폰은 스마트폰용 리더기에 대 주세요.</translation>
    </message>
    <message>
        <source>Please place your My Number card on the card reader.</source>
        <translation>마이넘버카드는 카드 리더기에 올려 주세요.</translation>
    </message>
    <message>
        <source>The smartphone moved away before it was read. Please hold it again.</source>
        <translation>읽는 도중에 스마트폰이 떨어졌습니다. 다시 대 주세요.</translation>
    </message>
    <message>
        <source>Your smartphone is still on the reader!</source>
        <translation>스마트폰이 아직 리더기 위에 있습니다!</translation>
    </message>
    <message>
        <source>Smartphone</source>
        <translation>스마트폰</translation>
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
        <translation>스마트폰(Android)</translation>
    </message>
    <message>
        <source>Smartphone (iPhone)</source>
        <translation>스마트폰(iPhone)</translation>
    </message>
    <message>
        <source>Smartphone reader</source>
        <translation>스마트폰용 리더기</translation>
    </message>
    <message>
        <source>Reception complete.</source>
        <translation>접수가 완료되었습니다.</translation>
    </message>
    <message>
        <source>Your reception has been recorded.</source>
        <translation>접수 내용이 기록되었습니다.</translation>
    </message>
    <message>
        <source>The reception was not completed</source>
        <translation>접수가 완료되지 않았습니다</translation>
    </message>
    <message>
        <source>The smartphone could not be read</source>
        <translation>스마트폰을 읽을 수 없었습니다</translation>
    </message>
    <message>
        <source>Please use your My Number card, or ask a member of staff.</source>
        <translation>마이넘버카드를 사용하시거나 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>If nothing happens, turn on NFC in the phone's settings.</source>
        <translation>반응이 없으면 스마트폰 설정에서 NFC를 켜 주세요.</translation>
    </message>
</context>
</TS>
