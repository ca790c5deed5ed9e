<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>kiosk</name>
    <message>
        <source>Please place your My Number card on the reader</source>
        <translation>Please place your My Number card on the reader</translation>
    </message>
    <message>
        <source>Take the card out of its case and lay it face up.</source>
        <translation>Take the card out of its case and lay it face up.</translation>
    </message>
    <message>
        <source>Reading your card…</source>
        <translation>Reading your card…</translation>
    </message>
    <message>
        <source>Please leave the card on the reader.</source>
        <translation>Please leave the card on the reader.</translation>
    </message>
    <message>
        <source>This card cannot be used</source>
        <translation>This card cannot be used</translation>
    </message>
    <message>
        <source>Please take your card.</source>
        <translation>Please take your card.</translation>
    </message>
    <message>
        <source>The card could not be read</source>
        <translation>The card could not be read</translation>
    </message>
    <message>
        <source>Please take your card and ask a member of staff.</source>
        <translation>Please take your card and ask a member of staff.</translation>
    </message>
    <message>
        <source>The certificate on your card has expired</source>
        <translation>The certificate on your card has expired</translation>
    </message>
    <message>
        <source>It expired more than 3 months ago. Please renew it at your municipal office.</source>
        <translation>It expired more than 3 months ago. Please renew it at your municipal office.</translation>
    </message>
    <message>
        <source>Your card is not registered for health insurance use</source>
        <translation>Your card is not registered for health insurance use</translation>
    </message>
    <message>
        <source>You can register it now. Registration needs your 4-digit PIN.</source>
        <translation>You can register it now. Registration needs your 4-digit PIN.</translation>
    </message>
    <message>
        <source>Your certificate expires soon</source>
        <translation>Your certificate expires soon</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office before it expires.</source>
        <translation>Please renew it at your municipal office before it expires.</translation>
    </message>
    <message>
        <source>Your certificate has expired</source>
        <translation>Your certificate has expired</translation>
    </message>
    <message>
        <source>For 3 months after expiry only your eligibility can be confirmed; medical information is not shared.</source>
        <translation>For 3 months after expiry only your eligibility can be confirmed; medical information is not shared.</translation>
    </message>
    <message>
        <source>Please renew it at your municipal office.</source>
        <translation>Please renew it at your municipal office.</translation>
    </message>
    <message>
        <source>How would you like to confirm your identity?</source>
        <translation>How would you like to confirm your identity?</translation>
    </message>
    <message>
        <source>Choose face recognition or your 4-digit PIN.</source>
        <translation>Choose face recognition or your 4-digit PIN.</translation>
    </message>
    <message>
        <source>Reading the front of your card…</source>
        <translation>Reading the front of your card…</translation>
    </message>
    <message>
        <source>Leave the card face up on the reader.</source>
        <translation>Leave the card face up on the reader.</translation>
    </message>
    <message>
        <source>Reading the photo on your card…</source>
        <translation>Reading the photo on your card…</translation>
    </message>
    <message>
        <source>Please look at the camera</source>
        <translation>Please look at the camera</translation>
    </message>
    <message>
        <source>Keep your face inside the frame.</source>
        <translation>Keep your face inside the frame.</translation>
    </message>
    <message>
        <source>Face recognition did not succeed</source>
        <translation>Face recognition did not succeed</translation>
    </message>
    <message>
        <source>You can try again, or use your PIN.</source>
        <translation>You can try again, or use your PIN.</translation>
    </message>
    <message>
        <source>Face recognition cannot be used</source>
        <translation>Face recognition cannot be used</translation>
    </message>
    <message>
        <source>Please use your PIN or ask a member of staff.</source>
        <translation>Please use your PIN or ask a member of staff.</translation>
    </message>
    <message>
        <source>This is your last PIN attempt</source>
        <translation>This is your last PIN attempt</translation>
    </message>
    <message>
        <source>If the PIN is wrong once more, it will be locked and can only be reset at your municipal office.</source>
        <translation>If the PIN is wrong once more, it will be locked and can only be reset at your municipal office.</translation>
    </message>
    <message>
        <source>Enter your 4-digit PIN</source>
        <translation>Enter your 4-digit PIN</translation>
    </message>
    <message>
        <source>Shield the keypad with your hand.</source>
        <translation>Shield the keypad with your hand.</translation>
    </message>
    <message>
        <source>Checking your PIN…</source>
        <translation>Checking your PIN…</translation>
    </message>
    <message>
        <source>The PIN is not correct</source>
        <translation>The PIN is not correct</translation>
    </message>
    <message>
        <source>To enter the PIN again, press Try again.</source>
        <translation>To enter the PIN again, press Try again.</translation>
    </message>
    <message>
        <source>Your PIN is locked</source>
        <translation>Your PIN is locked</translation>
    </message>
    <message>
        <source>It can be reset at your municipal office. Face recognition can still be used today.</source>
        <translation>It can be reset at your municipal office. Face recognition can still be used today.</translation>
    </message>
    <message>
        <source>Please ask a member of staff</source>
        <translation>Please ask a member of staff</translation>
    </message>
    <message>
        <source>A member of staff will compare you with the photo on your card.</source>
        <translation>A member of staff will compare you with the photo on your card.</translation>
    </message>
    <message>
        <source>Staff visual check</source>
        <translation>Staff visual check</translation>
    </message>
    <message>
        <source>Staff: compare the photo printed on the card with the patient. Confirm only if they match.</source>
        <translation>Staff: compare the photo printed on the card with the patient. Confirm only if they match.</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>Confirming your eligibility…</source>
        <translation>Confirming your eligibility…</translation>
    </message>
    <message>
        <source>Please wait a moment.</source>
        <translation>Please wait a moment.</translation>
    </message>
    <message>
        <source>Reception could not be completed</source>
        <translation>Reception could not be completed</translation>
    </message>
    <message>
        <source>Reception complete. Please take your card.</source>
        <translation>Reception complete. Please take your card.</translation>
    </message>
    <message>
        <source>Thank you. Please wait to be called.</source>
        <translation>Thank you. Please wait to be called.</translation>
    </message>
    <message>
        <source>Please take your card</source>
        <translation>Please take your card</translation>
    </message>
    <message>
        <source>The reception was not completed.</source>
        <translation>The reception was not completed.</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>Staff PIN</translation>
    </message>
    <message>
        <source>Staff panel</source>
        <translation>Staff panel</translation>
    </message>
    <message>
        <source>Self-test</source>
        <translation>Self-test</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>Something went wrong.</translation>
    </message>
    <message>
        <source>This took too long.</source>
        <translation>This took too long.</translation>
    </message>
    <message>
        <source>There was no input for a while, so the reception was stopped.</source>
        <translation>There was no input for a while, so the reception was stopped.</translation>
    </message>
    <message>
        <source>The reception was cancelled.</source>
        <translation>The reception was cancelled.</translation>
    </message>
    <message>
        <source>The staff check did not confirm the card holder.</source>
        <translation>The staff check did not confirm the card holder.</translation>
    </message>
    <message>
        <source>Please use a My Number card.</source>
        <translation>Please use a My Number card.</translation>
    </message>
    <message>
        <source>The card could not be read. Please place it again.</source>
        <translation>The card could not be read. Please place it again.</translation>
    </message>
    <message>
        <source>The card was removed.</source>
        <translation>The card was removed.</translation>
    </message>
    <message>
        <source>The card gave an unexpected answer.</source>
        <translation>The card gave an unexpected answer.</translation>
    </message>
    <message>
        <source>No card reader was found.</source>
        <translation>No card reader was found.</translation>
    </message>
    <message>
        <source>The front of the card could not be read. Place it face up and try again.</source>
        <translation>The front of the card could not be read. Place it face up and try again.</translation>
    </message>
    <message>
        <source>The card face was read incorrectly.</source>
        <translation>The card face was read incorrectly.</translation>
    </message>
    <message>
        <source>The photo on this card cannot be read.</source>
        <translation>The photo on this card cannot be read.</translation>
    </message>
    <message>
        <source>The photo on this card is protected after several failed reads; face recognition is not used.</source>
        <translation>The photo on this card is protected after several failed reads; face recognition is not used.</translation>
    </message>
    <message>
        <source>The photo on the card cannot be used for matching.</source>
        <translation>The photo on the card cannot be used for matching.</translation>
    </message>
    <message>
        <source>The camera is not available.</source>
        <translation>The camera is not available.</translation>
    </message>
    <message>
        <source>Your face could not be matched with the card photo.</source>
        <translation>Your face could not be matched with the card photo.</translation>
    </message>
    <message>
        <source>The live check did not succeed.</source>
        <translation>The live check did not succeed.</translation>
    </message>
    <message>
        <source>The PIN is not correct.</source>
        <translation>The PIN is not correct.</translation>
    </message>
    <message>
        <source>The PIN is locked.</source>
        <translation>The PIN is locked.</translation>
    </message>
    <message>
        <source>This card has no PIN (face-authentication card).</source>
        <translation>This card has no PIN (face-authentication card).</translation>
    </message>
    <message>
        <source>Please enter 4 digits.</source>
        <translation>Please enter 4 digits.</translation>
    </message>
    <message>
        <source>The verification service cannot be reached.</source>
        <translation>The verification service cannot be reached.</translation>
    </message>
    <message>
        <source>The verification service did not answer in time.</source>
        <translation>The verification service did not answer in time.</translation>
    </message>
    <message>
        <source>The verification service could not confirm this card.</source>
        <translation>The verification service could not confirm this card.</translation>
    </message>
    <message>
        <source>The card was removed, so the reception was stopped.</source>
        <translation>The card was removed, so the reception was stopped.</translation>
    </message>
    <message>
        <source>Thank you.</source>
        <translation>Thank you.</translation>
    </message>
    <message>
        <source>Staff visual check is on for the next patient.</source>
        <translation>Staff visual check is on for the next patient.</translation>
    </message>
    <message>
        <source>Staff visual check is off.</source>
        <translation>Staff visual check is off.</translation>
    </message>
    <message>
        <source>Staff will confirm your eligibility. Please wait to be called.</source>
        <translation>Staff will confirm your eligibility. Please wait to be called.</translation>
    </message>
    <message>
        <source>This kiosk is out of service</source>
        <translation>This kiosk is out of service</translation>
    </message>
    <message>
        <source>Staff have been told on the staff panel.</source>
        <translation>Staff have been told on the staff panel.</translation>
    </message>
    <message>
        <source>Your reception has been recorded. Please take your card.</source>
        <translation>Your reception has been recorded. Please take your card.</translation>
    </message>
    <message>
        <source>Wrong staff PIN. {n} tries left.</source>
        <translation>Wrong staff PIN. {n} tries left.</translation>
    </message>
    <message>
        <source>Staff PIN locked. Try again in {n} seconds.</source>
        <translation>Staff PIN locked. Try again in {n} seconds.</translation>
    </message>
    <message>
        <source>Your card is still on the reader!</source>
        <translation>Your card is still on the reader!</translation>
    </message>
    <message>
        <source>Please hold still.</source>
        <translation>Please hold still.</translation>
    </message>
    <message>
        <source>Please look at the camera.</source>
        <translation>Please look at the camera.</translation>
    </message>
    <message>
        <source>One person at a time, please.</source>
        <translation>One person at a time, please.</translation>
    </message>
    <message>
        <source>Please come a little closer.</source>
        <translation>Please come a little closer.</translation>
    </message>
    <message>
        <source>Please move back a little.</source>
        <translation>Please move back a little.</translation>
    </message>
    <message>
        <source>Please move your face to the centre.</source>
        <translation>Please move your face to the centre.</translation>
    </message>
    <message>
        <source>Please face the camera straight on.</source>
        <translation>Please face the camera straight on.</translation>
    </message>
    <message>
        <source>It is too dark here.</source>
        <translation>It is too dark here.</translation>
    </message>
    <message>
        <source>There is too much light behind you.</source>
        <translation>There is too much light behind you.</translation>
    </message>
    <message>
        <source>Please open your eyes.</source>
        <translation>Please open your eyes.</translation>
    </message>
    <message>
        <source>Please take off your mask.</source>
        <translation>Please take off your mask.</translation>
    </message>
    <message>
        <source>Please take off your hat.</source>
        <translation>Please take off your hat.</translation>
    </message>
    <message>
        <source>Please blink.</source>
        <translation>Please blink.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left.</source>
        <translation>Please turn your head slowly to your left.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right.</source>
        <translation>Please turn your head slowly to your right.</translation>
    </message>
    <message>
        <source>Please nod slowly.</source>
        <translation>Please nod slowly.</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>Face recognition</source>
        <translation>Face recognition</translation>
    </message>
    <message>
        <source>PIN (4 digits)</source>
        <translation>PIN (4 digits)</translation>
    </message>
    <message>
        <source>Ask staff</source>
        <translation>Ask staff</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>I understand, enter the PIN</source>
        <translation>I understand, enter the PIN</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Sound</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>Large text</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>Staff only</translation>
    </message>
    <message>
        <source>Visual check for next patient</source>
        <translation>Visual check for next patient</translation>
    </message>
    <message>
        <source>Turn visual check off</source>
        <translation>Turn visual check off</translation>
    </message>
    <message>
        <source>Self-test and counts</source>
        <translation>Self-test and counts</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Same person: confirm</source>
        <translation>Same person: confirm</translation>
    </message>
    <message>
        <source>Not the same person</source>
        <translation>Not the same person</translation>
    </message>
    <message>
        <source>Agree to all</source>
        <translation>Agree to all</translation>
    </message>
    <message>
        <source>Choose item by item</source>
        <translation>Choose item by item</translation>
    </message>
    <message>
        <source>Agree</source>
        <translation>Agree</translation>
    </message>
    <message>
        <source>Do not agree</source>
        <translation>Do not agree</translation>
    </message>
    <message>
        <source>Provide</source>
        <translation>Provide</translation>
    </message>
    <message>
        <source>Do not provide</source>
        <translation>Do not provide</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Electronic prescription</source>
        <translation>Electronic prescription</translation>
    </message>
    <message>
        <source>Paper prescription</source>
        <translation>Paper prescription</translation>
    </message>
    <message>
        <source>Card reader</source>
        <translation>Card reader</translation>
    </message>
    <message>
        <source>Card-face camera</source>
        <translation>Card-face camera</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Verification service</source>
        <translation>Verification service</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Last errors</source>
        <translation>Last errors</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Face</source>
        <translation>Face</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Visual check</source>
        <translation>Visual check</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>Sound on</translation>
    </message>
    <message>
        <source>Sound off</source>
        <translation>Sound off</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>Tries left: {n}</source>
        <translation>Tries left: {n}</translation>
    </message>
    <message>
        <source>Expiry date: {date}</source>
        <translation>Expiry date: {date}</translation>
    </message>
    <message>
        <source>Running the self-test…</source>
        <translation>Running the self-test…</translation>
    </message>
    <message>
        <source>No card is on the reader. Please place your My Number card.</source>
        <translation>No card is on the reader. Please place your My Number card.</translation>
    </message>
    <message>
        <source>The reception could not be saved. Please ask a member of staff.</source>
        <translation>The reception could not be saved. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>The kiosk is not configured correctly. Please ask a member of staff.</source>
        <translation>The kiosk is not configured correctly. Please ask a member of staff.</translation>
    </message>
    <message>
        <source>Your identity has been confirmed.</source>
        <translation>Your identity has been confirmed.</translation>
    </message>
    <message>
        <source>Please try once more.</source>
        <translation>Please try once more.</translation>
    </message>
    <message>
        <source>Face check did not confirm you. Please use your PIN or ask staff to check.</source>
        <translation>Face check did not confirm you. Please use your PIN or ask staff to check.</translation>
    </message>
    <message>
        <source>We could not confirm this. Please use your PIN or ask staff to check.</source>
        <translation>We could not confirm this. Please use your PIN or ask staff to check.</translation>
    </message>
    <message>
        <source>Your face could not be captured. Please use your PIN or ask staff to check.</source>
        <translation>Your face could not be captured. Please use your PIN or ask staff to check.</translation>
    </message>
    <message>
        <source>Face models</source>
        <translation>Face models</translation>
    </message>
</context>
</TS>
