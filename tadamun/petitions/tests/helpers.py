def sign_form(**overrides):
    return {
        "name": "Amal Haddad",
        "email": "amal@example.org",
        "country": "FR",
        "comment": "",
        "show_name": "on",
        "website": "",
        "source": "",
        **overrides,
    }
