-- wrk script: POST a signature the form refuses (an email address that is not one), so the
-- petition page is drawn again with the error, from scratch, on every request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "name=Bench+Signer&country=FR&email=not+an+address&comment=&website=&source="
